package dev.midge.session;

import dev.midge.routing.Message;
import io.netty.channel.EventLoop;

/** The network connection a session is attached to, as the session sees it. Called on its event loop only. */
public interface SessionConnection {

    EventLoop eventLoop();

    /** False while the socket's outbound buffer is above its high-water mark. */
    boolean isWritable();

    void sendPublish(Message message, int qos, boolean retain, int packetId, boolean duplicate);

    void sendPubRel(int packetId);

    /** The session is congested; a connection paused as a publisher must resume, or its acks never drain it. */
    void sessionCongested();

    /** Closes the connection because another connection took over its session, or the session ended. */
    void takenOver();
}
