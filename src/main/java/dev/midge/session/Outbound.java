package dev.midge.session;

import dev.midge.message.Delivery;
import dev.midge.message.Message;

/** A message on its way to one client: queued, or (QoS 1 and 2) in flight under a packet id. */
final class Outbound {

    final Message message;
    final Delivery delivery;
    /** Its entry in the persistent store, or 0 when it has none. */
    long storeId;
    int packetId;
    /** QoS 2 only: PUBREC received and PUBREL sent; waiting for PUBCOMP. */
    boolean released;
    /** Too large for the client's Maximum Packet Size: dropped, counts as delivered. */
    boolean discarded;

    Outbound(Message message, Delivery delivery, long storeId) {
        this.message = message;
        this.delivery = delivery;
        this.storeId = storeId;
    }
}
