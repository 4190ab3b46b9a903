package dev.midge.delivery;

import dev.midge.message.Delivery;
import dev.midge.message.Message;

/** Where an {@link OutboundQueue} writes its packets: a client's connection, or a bridge's link. */
public interface OutboundSender {

    /** False while the socket's outbound buffer is above its high-water mark: QoS 0 messages wait. */
    boolean isWritable();

    /**
     * Sends a PUBLISH. Returns false when the packet would exceed the receiver's Maximum Packet Size: it is then
     * discarded and the message counts as delivered, as MQTT 5 requires.
     */
    boolean sendPublish(Message message, Delivery delivery, int packetId, boolean duplicate);

    void sendPubRel(int packetId);
}
