package dev.midge.delivery;

import dev.midge.message.Message;

/** What the owner of an {@link OutboundQueue} hears of it: for its counters and its backlog. Queue's thread. */
public interface OutboundEvents {

    /** A message handed to the queue leaves it for the socket (or is dropped on the way there). */
    void leftQueue();

    /**
     * A message handed to the queue is no longer held by it: sent at QoS 0, acknowledged, refused by the
     * receiver, expired, too large, or discarded. Not for what {@link OutboundQueue#clear} and
     * {@link OutboundQueue#removeQueuedIf} hand to their caller.
     */
    default void released(Message message) {
    }

    /** A PUBLISH went out at this QoS. */
    void sent(int qos);

    /** A message expired before it could be sent. */
    void expired();

    /** A QoS 1/2 message was acknowledged (PUBACK, PUBCOMP). */
    void acknowledged();

    /** The queue was drained as far as the window and the socket allow. */
    void drained();
}
