package dev.midge.session;

import dev.midge.delivery.Outbound;
import dev.midge.delivery.OutboundJournal;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;

/**
 * Every change to what a restart must bring back of one session: the session itself, its subscriptions, its
 * queued and in-flight messages, its QoS 2 ids awaiting release and its delayed will. A durable session's
 * journal writes them to the store; a session nothing keeps has {@link #NONE}. Called on the session's loop,
 * except {@link #addOutbound}.
 */
interface SessionJournal extends OutboundJournal {

    /** The journal of a session the store does not keep (the store is disabled). */
    SessionJournal NONE = new NoSessionJournal();

    /**
     * Records a message handed to the session, on the publisher's thread, so that its acknowledgement can wait
     * for the write. Returns its store id, or 0 when not kept (QoS 0, or not durable).
     */
    long addOutbound(Message message, Delivery delivery);

    /** A message recorded by {@link #addOutbound} reached the loop; the session may have stopped being durable since. */
    void arrived(Outbound outbound);

    /**
     * The session outlives its connection: its record is written. True when it has just become durable; the
     * session then hands over what it holds ({@link #putSubscription}, {@link #addAwaitingRelease},
     * {@link #store}).
     */
    boolean putSession(long expiryInterval, long disconnectedAt);

    /** The session is read back from the store at start-up: it is durable. */
    void restored();

    /** The session is no longer kept. True when it was: its messages' entries are then to be finished. */
    boolean removeSession();

    /**
     * The session moved to another node, which resumes it from the cluster's copy: this node's store lets it go,
     * the cluster's keeps it, and nothing more is written for it here.
     */
    void handedOver();

    /** Stores a message the session already held when it became durable. */
    void store(Outbound outbound);

    void putSubscription(String filter, SubscriptionOptions options);

    void removeSubscription(String filter);

    void addAwaitingRelease(int packetId);

    void removeAwaitingRelease(int packetId);

    void putWill(Message will, long publishAt);

    void removeWill();
}
