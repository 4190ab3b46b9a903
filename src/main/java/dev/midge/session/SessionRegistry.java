package dev.midge.session;

import dev.midge.config.MidgeConfig;
import dev.midge.limits.Limits;
import dev.midge.message.Message;
import dev.midge.persistence.BrokerStore;
import dev.midge.message.SubscriptionOptions;
import dev.midge.persistence.Recovered;
import dev.midge.routing.Router;
import dev.midge.routing.Subscriber;
import dev.midge.security.Authorizer;
import dev.midge.stats.BrokerStats;
import io.netty.channel.EventLoop;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/** All sessions by client id, online and offline. */
@ApplicationScoped
public class SessionRegistry {

    private static final Logger LOG = Logger.getLogger(SessionRegistry.class);
    private static final CompletableFuture<Void> READY = CompletableFuture.completedFuture(null);

    /** The session a CONNECT gets, and whether it existed before (CONNACK's session-present flag). */
    public record Opened(Session session, boolean present) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Router router;
    private final BrokerStats stats;
    private volatile SessionLimits limits;
    /** Seconds, {@code midge.max-session-expiry}; {@link Session#NEVER_EXPIRES} for no limit. */
    private volatile long maxExpiryInterval;
    private final Authorizer authorizer;
    private final BrokerStore store;
    private volatile ClientIdOwnership ownership = ClientIdOwnership.LOCAL;

    public SessionRegistry(Router router, BrokerStats stats, MidgeConfig config, Authorizer authorizer,
            BrokerStore store, Limits brokerLimits) {
        this.router = router;
        this.store = store;
        this.stats = stats;
        this.authorizer = authorizer;
        this.maxExpiryInterval = config.maxSessionExpiry().map(Duration::toSeconds).orElse(Session.NEVER_EXPIRES);
        this.limits = new SessionLimits(config.maxInflightMessages(), config.maxQueuedMessages(),
                brokerLimits.memory());
    }

    /** From a reload: sessions created from now on may have this many messages in flight; others keep theirs. */
    public synchronized void maxInflightMessages(int max) {
        limits = new SessionLimits(max, limits.maxQueued(), limits.memory());
    }

    /** From a reload: sessions created from now on may have this many messages queued; others keep theirs. */
    public synchronized void maxQueuedMessages(int max) {
        limits = new SessionLimits(limits.maxInflight(), max, limits.memory());
    }

    /**
     * From a reload: the longest sessions outlive connections that end from now on, or empty for no limit; an
     * offline session already counting down keeps the time it was given.
     */
    public void maxSessionExpiry(Optional<Duration> max) {
        maxExpiryInterval = max.map(Duration::toSeconds).orElse(Session.NEVER_EXPIRES);
    }

    /** Seconds, {@code midge.max-session-expiry} as it is now; {@link Session#NEVER_EXPIRES} for no limit. */
    long maxExpiryInterval() {
        return maxExpiryInterval;
    }

    /**
     * Finds or creates the session for a CONNECT. Clean Start (MQTT 3's clean session) starts afresh and ends
     * whatever session the client id had; otherwise an existing session is resumed, unless its expiry interval
     * is 0: such a session ends with its connection, even when that connection's close has not been processed
     * yet (it may be on another loop, behind this CONNECT), so it is ended here and a new one begins.
     *
     * @param expiryInterval seconds the session outlives its connection; the new session's, or the resumed
     *     one's from its next attach
     */
    public Opened open(String clientId, boolean cleanStart, long expiryInterval, EventLoop loop) {
        Session[] previous = new Session[1];
        Session session = sessions.compute(clientId, (id, old) -> {
            previous[0] = old;
            if (old == null || cleanStart || !old.isResumable()) {
                return new Session(id, expiryInterval, loop, limits, router, stats, this, authorizer, journalFor(id));
            }
            old.claim(expiryInterval);
            return old;
        });
        boolean present = session == previous[0];
        if (previous[0] != null && !present) {
            previous[0].end();
        }
        ownership.claim(clientId);
        return new Opened(session, present);
    }

    /**
     * Before {@link #open}: when this node holds no session for the client id, brings it from wherever the
     * cluster keeps it (a broker alone has nothing to bring). Completes on any thread, once a session brought
     * here is restored on the given loop.
     */
    public CompletionStage<Void> prepare(String clientId, boolean cleanStart, EventLoop loop) {
        if (sessions.containsKey(clientId)) {
            return READY;
        }
        CompletionStage<Recovered.StoredSession> acquired = ownership.acquire(clientId, cleanStart);
        if (acquired instanceof CompletableFuture<Recovered.StoredSession> f && f.isDone()
                && !f.isCompletedExceptionally() && f.join() == null) {
            return READY;
        }
        CompletableFuture<Void> prepared = new CompletableFuture<>();
        acquired.whenComplete((stored, failure) -> {
            if (failure != null) {
                LOG.warnf(failure, "Client %s: its session could not be brought from the cluster", clientId);
            }
            if (stored == null) {
                prepared.complete(null);
                return;
            }
            loop.execute(() -> {
                if (!sessions.containsKey(clientId)) {
                    restore(stored, loop);
                }
                prepared.complete(null);
            });
        });
        return prepared;
    }

    /**
     * Puts back a session read from the store or from the cluster's copy, on the given loop: at start-up before
     * any client connects, or on that loop.
     */
    public void restore(Recovered.StoredSession stored, EventLoop loop) {
        Session session = new Session(stored.clientId(), stored.expiryInterval(), loop, limits, router, stats, this,
                authorizer, journalFor(stored.clientId()));
        sessions.put(stored.clientId(), session);
        session.restore(stored);
        ownership.claim(stored.clientId());
        ownership.restored(stored.clientId());
    }

    private SessionJournal journalFor(String clientId) {
        return store.isEnabled() ? new StoreSessionJournal(store, clientId) : SessionJournal.NONE;
    }

    void removeIfCurrent(Session session) {
        if (sessions.remove(session.clientId(), session)) {
            ownership.release(session.clientId());
        }
    }

    /**
     * A connection with a will was accepted: a cluster keeps the will, for another node to publish should this
     * one die while the connection lasts. Returns the key to settle it with when the connection ends, or null.
     */
    public String keepWill(String clientId, Message will, long delaySeconds) {
        return ownership.keepWill(clientId, will, delaySeconds);
    }

    public void willSettled(String key) {
        if (key != null) {
            ownership.willSettled(key);
        }
    }

    /** From now on, client ids are claimed where the given ownership says (a cluster). */
    public void ownedBy(ClientIdOwnership newOwnership) {
        ownership = newOwnership;
    }

    /**
     * The client connected to another node, which now owns its id (it claimed it without a hand-over, or the
     * other side of a healed partition had it): the session leaves this node as in a hand-over, closing its
     * connection, and the cluster's copy stays for the node that has the client now.
     */
    public void takenOverElsewhere(String clientId) {
        handOver(clientId, false);
    }

    /**
     * The client's session moves to another node of the cluster, which resumes it from the cluster's copy: it
     * leaves this node without touching that copy; it ends there when its client started clean. Completes once
     * it has left.
     */
    public CompletionStage<Void> handOver(String clientId, boolean sessionEnds) {
        return handOver(clientId, sessionEnds, null).thenApply(handed -> null);
    }

    /**
     * As {@link #handOver(String, boolean)}; unless the session ends, the forwarder (null: none) takes its plain
     * subscriptions over in the same step, so that what they match meanwhile is sent on to the node the session
     * goes to. Completes with those subscriptions once the session has left.
     */
    public CompletionStage<Map<String, SubscriptionOptions>> handOver(String clientId, boolean sessionEnds,
            Subscriber forwarder) {
        Session session = sessions.remove(clientId);
        return session == null ? CompletableFuture.completedFuture(Map.of())
                : session.handOver(sessionEnds, forwarder);
    }

    public int size() {
        return sessions.size();
    }

    /** Every session at this moment, online and offline, in no particular order. */
    public List<Session> snapshot() {
        return List.copyOf(sessions.values());
    }

    /** The client id's session, if it has one. */
    public Optional<Session> find(String clientId) {
        return Optional.ofNullable(sessions.get(clientId));
    }
}
