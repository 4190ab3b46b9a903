package dev.midge.session;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import io.netty.channel.EventLoop;
import java.net.SocketAddress;

/** The network connection a session is attached to, as the session sees it. Called on its event loop only. */
public interface SessionConnection {

    EventLoop eventLoop();

    /** False while the socket's outbound buffer is above its high-water mark. */
    boolean isWritable();

    /** The client's Receive Maximum: how many QoS 1/2 messages it takes unacknowledged (65,535 for MQTT 3). */
    int receiveMaximum();

    /**
     * Sends a PUBLISH. Returns false when the packet would exceed the client's Maximum Packet Size: it is then
     * discarded (and counted) and the message counts as delivered, as MQTT 5 requires.
     */
    boolean sendPublish(Message message, Delivery delivery, int packetId, boolean duplicate);

    void sendPubRel(int packetId);

    /** The session is congested; a connection paused as a publisher must resume, or its acks never drain it. */
    void sessionCongested();

    /**
     * Closes the connection for {@code cause}; {@link CloseCause#TOO_SLOW} at once, without waiting for what is
     * buffered, as its client stopped reading.
     */
    void close(CloseCause cause);

    /** The protocol level, as shown to operators: "MQTT 3.1", "MQTT 3.1.1" or "MQTT 5.0". */
    String protocol();

    /** The client's address. */
    SocketAddress remoteAddress();
}
