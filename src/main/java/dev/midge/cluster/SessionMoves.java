package dev.midge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import dev.midge.eventloop.EventLoops;
import dev.midge.message.SubscriptionOptions;
import dev.midge.persistence.Recovered;
import dev.midge.routing.Router;
import dev.midge.session.SessionRegistry;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Durable sessions moving between nodes through the cluster's copy: a node lets a session go when its client
 * reconnected elsewhere, asks another node for one, and adopts the sessions of a node that left, so that
 * messages for their clients are queued until they reconnect.
 */
final class SessionMoves {

    private static final Logger LOG = Logger.getLogger(SessionMoves.class);
    private static final long WAIT_SECONDS = 10;
    /** Below the asking node's own wait, so that it hears the answer. */
    private static final long ADOPTION_WAIT_SECONDS = 8;

    private final HazelcastInstance engine;
    private final String localNode;
    private final SessionRegistry sessions;
    private final ReplicatedStore store;
    private final EventLoops loops;
    private final Router router;
    private final Function<String, PeerLink> links;
    private final ScheduledExecutorService timer;
    /** Sessions adopted from a node that left, until they have what was published for them meanwhile. */
    private final Map<String, CompletableFuture<Void>> adopting = new ConcurrentHashMap<>();
    /** What stands for each session that moved away from here, for a while, by client id. */
    private final Map<String, MovedSession> forwarders = new ConcurrentHashMap<>();
    private final Arrivals arrivals;
    private ClientOwnership ownership;

    SessionMoves(HazelcastInstance engine, String localNode, SessionRegistry sessions, ReplicatedStore store,
            EventLoops loops, Router router, Function<String, PeerLink> links, ScheduledExecutorService timer,
            Arrivals arrivals) {
        this.arrivals = arrivals;
        this.engine = engine;
        this.localNode = localNode;
        this.sessions = sessions;
        this.store = store;
        this.loops = loops;
        this.router = router;
        this.links = links;
        this.timer = timer;
    }

    void ownedBy(ClientOwnership clientOwnership) {
        this.ownership = clientOwnership;
    }

    /**
     * Another node asks for a client's session, whose client reconnected there: it leaves this node, and its
     * last changes reach the cluster's copy, which that node then reads. Runs on the engine's executor.
     */
    boolean handOver(String clientId, long incarnation, boolean sessionEnds, String toNode) {
        if (!ownership.takenOver(clientId, incarnation)) {
            return false;
        }
        CompletableFuture<Void> arriving = adopting.get(clientId);
        if (arriving != null) {
            // Adopted here a moment ago: it leaves once it is restored and has what was sent for it meanwhile.
            await(arriving, ADOPTION_WAIT_SECONDS, "client " + clientId + "'s adopted session to be restored");
        }
        PeerLink link = sessionEnds ? null : links.apply(toNode);
        MovedSession forwarder = link == null ? null : new MovedSession(clientId, link);
        CompletableFuture<Map<String, SubscriptionOptions>> left =
                sessions.handOver(clientId, sessionEnds, forwarder).toCompletableFuture();
        await(left, WAIT_SECONDS, "client " + clientId + " to leave");
        if (forwarder != null && left.isDone() && !left.isCompletedExceptionally()) {
            forwarder.took(left.join().keySet());
            MovedSession previous = forwarders.put(clientId, forwarder);
            if (previous != null) {
                previous.leave(router);
            }
            timer.schedule(() -> {
                if (forwarders.remove(clientId, forwarder)) {
                    forwarder.leave(router);
                }
            }, MovedSession.LIFETIME_SECONDS, TimeUnit.SECONDS);
        }
        await(store.replicated(), "client " + clientId + "'s session to reach the cluster");
        LOG.infof("Client %s reconnected to another node: its session %s", clientId,
                sessionEnds ? "ended (clean start)" : "moved there");
        return true;
    }

    /**
     * Asks the node that has a client's session to let it go, and waits until it has. False when that node is
     * not in the cluster any more, or did not answer (it may be dying): the caller then claims the id itself, so
     * that the survivor adopting that node's sessions leaves this one alone. Blocking.
     */
    boolean request(String node, String clientId, long incarnation, boolean sessionEnds) {
        Member member = Members.find(engine, node);
        if (member == null) {
            return false;
        }
        if (!sessionEnds) {
            arrivals.expect(Targets.client(clientId));
        }
        return await(engine.getExecutorService(ClusterNode.EXECUTOR)
                .submitToMember(ClusterTask.handOver(clientId, incarnation, sessionEnds, localNode), member),
                "node " + node + " to hand over client " + clientId + "'s session");
    }

    /**
     * A node that held the client's session is gone: this node takes the session from the cluster's copy and
     * keeps it, offline, unless the client reconnected to another node first. The will of the client's lost
     * connection (null if none) is published now when it has no delay or no session outlives the connection,
     * else it waits out its delay in the adopted session, which a reconnect cancels. Until {@code settled}
     * completes (the node's sessions all adopted, with what was published for them meanwhile), the session does
     * not move on. Blocking.
     *
     * @param owner the entry of the client id that named the node that left
     * @return completes once the session is restored here, with its subscriptions; with null when it was not
     *     adopted here
     */
    CompletableFuture<Recovered.StoredSession> adopt(String clientId, String owner, KeptWills.Orphan will,
            CompletableFuture<Void> settled) {
        boolean durable = store.holds(clientId);
        if (will != null && (will.delayMillis() == 0 || !durable)) {
            publishWill(will);
            will = null;
        }
        // Noted before the id is taken, so that a hand-over asked for as soon as it is waits for the session.
        adopting.put(clientId, settled);
        settled.whenComplete((done, failure) -> adopting.remove(clientId, settled));
        if (!durable || !ownership.adopt(clientId, owner)) {
            adopting.remove(clientId, settled);
            return CompletableFuture.completedFuture(null);
        }
        Recovered.StoredSession taken = store.take(clientId);
        if (taken == null) {
            return CompletableFuture.completedFuture(null);
        }
        Recovered.StoredSession stored = will == null || taken.will() != null ? taken : withWill(taken,
                new Recovered.StoredWill(will.message(), System.currentTimeMillis() + will.delayMillis()));
        EventLoop loop = loops.next();
        CompletableFuture<Recovered.StoredSession> restored = new CompletableFuture<>();
        loop.execute(() -> {
            if (sessions.find(clientId).isEmpty()) {
                sessions.restore(stored, loop);
                restored.complete(stored);
            } else {
                restored.complete(null);
            }
        });
        LOG.infof("Client %s's session was on a node that left: kept here, with %d queued messages", clientId,
                stored.outbound().size());
        return restored;
    }

    /**
     * A session brought from the cluster's copy is restored here, on its loop: what stood for it here since it
     * left goes (else what it matches would go round between the nodes), and what was sent here for it while it
     * was on its way reaches it.
     */
    void restored(String clientId) {
        MovedSession forwarder = forwarders.remove(clientId);
        if (forwarder != null) {
            forwarder.leave(router);
        }
        arrivals.arrived(Targets.client(clientId), Set.of(clientId));
    }

    /** The will of a connection on a node that left, with nothing that delays it: published now, by this node. */
    void publishWill(KeptWills.Orphan will) {
        LOG.infof("Client %s was connected to a node that left: its will is published", will.clientId());
        router.publish(will.message());
    }

    private static Recovered.StoredSession withWill(Recovered.StoredSession s, Recovered.StoredWill will) {
        return new Recovered.StoredSession(s.clientId(), s.expiryInterval(), s.disconnectedAt(), s.subscriptions(),
                s.outbound(), s.awaitingRelease(), will);
    }

    /** True when the future completed within the wait, false when it failed or took too long. */
    static boolean await(Future<?> future, String what) {
        return await(future, WAIT_SECONDS, what);
    }

    private static boolean await(Future<?> future, long seconds, String what) {
        try {
            future.get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("Waited in vain for %s: %s", what, e);
        }
        return false;
    }
}
