package dev.midge.persistence;

import dev.midge.config.PersistenceConfig.Sync;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import java.time.Duration;

/**
 * What the broker keeps across restarts: retained messages, and for each session that outlives its
 * connection its subscriptions, the QoS 1/2 messages queued or in flight to it, the QoS 2 packet ids it sent
 * and has not released yet, and a will waiting out its delay.
 *
 * <p>Every change is a call that returns at once, safe from any thread and never blocking an event loop;
 * changes are applied in the order they were made. {@link #whenDurable} tells when everything changed so far
 * is safely stored, which is when an acknowledgement may go out.
 */
public interface BrokerStore {

    /** False for the memory-only broker ({@code midge.persistence.enabled=false}): every change is ignored. */
    boolean isEnabled();

    /** Opens the store and reads what it holds. Called once, before any client connects. */
    Recovered open();

    void putRetained(Message message);

    void removeRetained(String topic);

    /**
     * Creates or updates a session record.
     *
     * @param disconnectedAt wall-clock millisecond its client went away, or 0 while connected
     */
    void putSession(String clientId, long expiryInterval, long disconnectedAt);

    /** Removes a session with its subscriptions, pending QoS 2 ids and will (not its outbound entries). */
    void removeSession(String clientId);

    /**
     * The session moved to another node of a cluster, which resumes it from the cluster's copy: it leaves this
     * node's store, and stays in the cluster's. Alone, the same as {@link #removeSession}.
     */
    default void forgetSession(String clientId) {
        removeSession(clientId);
    }

    void putSubscription(String clientId, String filter, SubscriptionOptions options);

    void removeSubscription(String clientId, String filter);

    /** A new id for an outbound entry; ids grow, so they keep the order in which messages were queued. */
    long newOutboundId();

    void addOutbound(long id, String clientId, Message message, Delivery delivery);

    /** Records the packet id an outbound message went out with, and whether its PUBREC came back. */
    void updateOutbound(long id, int packetId, boolean released);

    void removeOutbound(long id);

    void addAwaitingRelease(String clientId, int packetId);

    void removeAwaitingRelease(String clientId, int packetId);

    /** @param publishAt wall-clock millisecond at which the will is due */
    void putWill(String clientId, Message will, long publishAt);

    void removeWill(String clientId);

    /**
     * How many changes the calling thread has made so far under {@code sync=always}; a caller compares two
     * readings to learn whether its work changed anything that an acknowledgement must wait for. Constant
     * when acknowledgements never wait.
     */
    long changesByThisThread();

    /**
     * Runs the callback once every change made before this call is stored as durably as configured: at
     * once unless {@code sync=always}, else on the store's writer thread after the next forced write.
     */
    void whenDurable(Runnable callback);

    /**
     * As {@link #whenDurable(Runnable)}, or runs {@code failed} instead when a change could not be kept where the
     * configuration asks (a cluster node that held part of it left): what waited must not be acknowledged.
     */
    default void whenDurable(Runnable callback, Runnable failed) {
        whenDurable(callback);
    }

    /**
     * Writes as {@code midge.persistence.sync} asks from now on (a SIGHUP); returns at once. What waits for the
     * disk already still does. Nothing to do for a store that writes nothing.
     */
    default void sync(Sync sync) {
    }

    /**
     * Moves the store to {@code midge.persistence.dir} (a SIGHUP), with all it holds; waits until it has moved.
     * Nothing to do for a store that writes nothing.
     *
     * @throws IllegalArgumentException when it cannot move; it stays where it was
     */
    default void relocate(String dir) {
    }

    /** Writes within {@code midge.persistence.flush-interval} from now on (a SIGHUP); returns at once. */
    default void flushInterval(Duration interval) {
    }

    /** Writes what is pending, forces it to disk and closes the store. */
    void close();

    /** What the store reports about itself for health and metrics. */
    StoreStatus status();
}
