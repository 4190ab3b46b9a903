package dev.midge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import dev.midge.eventloop.EventLoops;
import dev.midge.persistence.Recovered;
import dev.midge.session.SessionRegistry;
import io.netty.channel.EventLoop;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    private ClientOwnership ownership;

    SessionMoves(HazelcastInstance engine, SessionRegistry sessions, ReplicatedStore store, EventLoops loops) {
        this.engine = engine;
        this.sessions = sessions;
        this.store = store;
        this.loops = loops;
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

    /** Asks the node that has a client's session to let it go, and waits until it has. Blocking. */
    void request(String node, String clientId, long incarnation, boolean sessionEnds) {
        Member member = Members.find(engine, node);
        if (member != null) {
            await(engine.getExecutorService(ClusterNode.EXECUTOR)
                    .submitToMember(ClusterTask.handOver(clientId, incarnation, sessionEnds), member),
                    "node " + node + " to hand over client " + clientId + "'s session");
        }
    }

    /**
     * A node that held the client's session is gone: this node takes the session from the cluster's copy and
     * keeps it, offline, unless the client reconnected to another node first. Blocking.
     */
    void adopt(String clientId) {
        if (!store.holds(clientId) || !ownership.adopt(clientId)) {
            return;
        }
        Recovered.StoredSession stored = store.take(clientId);
        if (stored == null) {
            return;
        }
        EventLoop loop = loops.next();
        loop.execute(() -> {
            if (sessions.find(clientId).isEmpty()) {
                sessions.restore(stored, loop);
            }
        });
        LOG.infof("Client %s's session was on a node that left: kept here, with %d queued messages", clientId,
                stored.outbound().size());
    }

    static void await(Future<?> future, String what) {
        try {
            future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("Waited in vain for %s: %s", what, e);
        }
    }
}
