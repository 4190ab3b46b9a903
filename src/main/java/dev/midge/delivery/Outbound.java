package dev.midge.delivery;

import dev.midge.message.Delivery;
import dev.midge.message.Message;

/** A message on its way to one receiver: queued, or (QoS 1 and 2) in flight under a packet id. */
public final class Outbound {

    private final Message message;
    private final Delivery delivery;
    /** Its entry in the persistent store, or 0 when it has none. */
    private long storeId;
    int packetId;
    /** QoS 2 only: PUBREC received and PUBREL sent; waiting for PUBCOMP. */
    boolean released;
    /** Too large for the receiver's Maximum Packet Size: dropped, counts as delivered. */
    boolean discarded;
    /** Restored from a store: it may have been sent before, so it goes out flagged DUP. */
    boolean maybeSent;

    public Outbound(Message message, Delivery delivery, long storeId) {
        this.message = message;
        this.delivery = delivery;
        this.storeId = storeId;
    }

    public Message message() {
        return message;
    }

    public Delivery delivery() {
        return delivery;
    }

    public long storeId() {
        return storeId;
    }

    public void storeId(long id) {
        storeId = id;
    }

    /** The packet id it went out with, or 0 while queued. */
    public int packetId() {
        return packetId;
    }

    public boolean isReleased() {
        return released;
    }
}
