package dev.midge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import dev.midge.eventloop.EventLoops;
import dev.midge.message.Message;
import dev.midge.persistence.Recovered;
import dev.midge.session.SessionRegistry;
import io.netty.channel.EventLoop;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Durable sessions moving between nodes through the cluster's copy: a node lets a session go when its client
 * reconnected elsewhere, asks another node for one, and adopts the sessions of a node that left, so that
 * messages for their clients are queued until they reconnect.
 */
final class SessionMoves {

    private static final Logger LOG = Logger.getLogger(SessionMoves.class);
    private static final long WAIT_SECONDS = 10;

    private final HazelcastInstance engine;
    private final SessionRegistry sessions;
    private final ReplicatedStore store;
    private final EventLoops loops;
    private final Consumer<Message> publish;
    private ClientOwnership ownership;

    SessionMoves(HazelcastInstance engine, SessionRegistry sessions, ReplicatedStore store, EventLoops loops,
            Consumer<Message> publish) {
        this.engine = engine;
        this.sessions = sessions;
        this.store = store;
        this.loops = loops;
        this.publish = publish;
    }

    void ownedBy(ClientOwnership clientOwnership) {
        this.ownership = clientOwnership;
    }

    /**
     * Another node asks for a client's session, whose client reconnected there: it leaves this node, and its
     * last changes reach the cluster's copy, which that node then reads. Runs on the engine's executor.
     */
    boolean handOver(String clientId, long incarnation, boolean sessionEnds) {
        if (!ownership.takenOver(clientId, incarnation)) {
            return false;
        }
        await(sessions.handOver(clientId, sessionEnds).toCompletableFuture(), "client " + clientId + " to leave");
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
        return await(engine.getExecutorService(ClusterNode.EXECUTOR)
                .submitToMember(ClusterTask.handOver(clientId, incarnation, sessionEnds), member),
                "node " + node + " to hand over client " + clientId + "'s session");
    }

    /**
     * A node that held the client's session is gone: this node takes the session from the cluster's copy and
     * keeps it, offline, unless the client reconnected to another node first. The will of the client's lost
     * connection (null if none) is published now when it has no delay or no session outlives the connection,
     * else it waits out its delay in the adopted session, which a reconnect cancels. Blocking.
     */
    void adopt(String clientId, KeptWills.Orphan will) {
        boolean durable = store.holds(clientId);
        if (will != null && (will.delayMillis() == 0 || !durable)) {
            publishWill(will);
            will = null;
        }
        if (!durable || !ownership.adopt(clientId)) {
            return;
        }
        Recovered.StoredSession taken = store.take(clientId);
        if (taken == null) {
            return;
        }
        Recovered.StoredSession stored = will == null || taken.will() != null ? taken : withWill(taken,
                new Recovered.StoredWill(will.message(), System.currentTimeMillis() + will.delayMillis()));
        EventLoop loop = loops.next();
        loop.execute(() -> {
            if (sessions.find(clientId).isEmpty()) {
                sessions.restore(stored, loop);
            }
        });
        LOG.infof("Client %s's session was on a node that left: kept here, with %d queued messages", clientId,
                stored.outbound().size());
    }

    /** The will of a connection on a node that left, with nothing that delays it: published now, by this node. */
    void publishWill(KeptWills.Orphan will) {
        LOG.infof("Client %s was connected to a node that left: its will is published", will.clientId());
        publish.accept(will.message());
    }

    private static Recovered.StoredSession withWill(Recovered.StoredSession s, Recovered.StoredWill will) {
        return new Recovered.StoredSession(s.clientId(), s.expiryInterval(), s.disconnectedAt(), s.subscriptions(),
                s.outbound(), s.awaitingRelease(), will);
    }

    /** True when the future completed within the wait, false when it failed or took too long. */
    static boolean await(Future<?> future, String what) {
        try {
            future.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("Waited in vain for %s: %s", what, e);
        }
        return false;
    }
}
