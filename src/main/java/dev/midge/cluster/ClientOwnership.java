package dev.midge.cluster;

import com.hazelcast.map.IMap;
import dev.midge.message.Message;
import dev.midge.persistence.Recovered;
import dev.midge.session.ClientIdOwnership;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Client ids across the cluster: the engine's map holds, per connected id, the node that has it and an
 * incarnation number that node gave the connection. A CONNECT here writes this node in; when the id was on
 * another node, that node is told to end its session, naming the incarnation it had, so that a later
 * connection there with the same id (a newer incarnation) is not closed by a stale takeover.
 */
final class ClientOwnership implements ClientIdOwnership {

    private static final Logger LOG = Logger.getLogger(ClientOwnership.class);

    /** Tells a node to end its session of a client id, if it still has that incarnation. */
    interface Takeover {
        void send(String nodeId, String clientId, long incarnation);
    }

    /**
     * Asks a node to let a client's session go to this one, and waits until it has (or has not got it). False
     * when that node is not in the cluster any more. Blocking.
     */
    interface HandOver {
        boolean request(String nodeId, String clientId, long incarnation, boolean sessionEnds);
    }

    private final String nodeId;
    private final IMap<String, String> owners;
    private final Takeover takeover;
    private final Executor blocking;
    private final ReplicatedStore store;
    private final HandOver handOver;
    private final Executor handOvers;
    private final KeptWills wills;
    /**
     * How long a client whose node left waits for the heir's adoption, which reads all the node's sessions from the
     * engine while its partitions move (seconds, tens under load); below {@link Arrivals#WAIT}, so that what the
     * heir holds for those sessions is still held when the client then asks for its session.
     */
    private static final long HEIR_WAIT_MILLIS = 30_000;
    /**
     * The wait polls the id's entry rather than listening for its change: an entry listener is registered on every
     * member, a cluster-wide operation per waiting client, for a wait that comes only with a node's departure.
     */
    private static final long HEIR_POLL_MILLIS = 50;

    private final Predicate<String> isMember;
    private final Consumer<String> restoredHere;
    private final AtomicLong incarnations = new AtomicLong();
    private final Map<String, Long> here = new ConcurrentHashMap<>();

    ClientOwnership(String nodeId, IMap<String, String> owners, Takeover takeover, Executor blocking,
            ReplicatedStore store, HandOver handOver, Executor handOvers, KeptWills wills, Predicate<String> isMember,
            Consumer<String> restoredHere) {
        this.isMember = isMember;
        this.restoredHere = restoredHere;
        this.nodeId = nodeId;
        this.owners = owners;
        this.takeover = takeover;
        this.blocking = blocking;
        this.store = store;
        this.handOver = handOver;
        this.handOvers = handOvers;
        this.wills = wills;
    }

    @Override
    public String keepWill(String clientId, Message will, long delaySeconds) {
        return wills.keep(clientId, will, delaySeconds);
    }

    @Override
    public void willSettled(String key) {
        wills.settle(key);
    }

    /**
     * The session is on another node, or nowhere but in the cluster's copy: the node that has it lets it go
     * (its last changes reach the copy first), then the copy is read here, or deleted on a clean start. When
     * the id's node has left, or none has it, this node claims the id before it reads the copy, so that a
     * survivor adopting the left node's sessions does not take the same one.
     */
    @Override
    public CompletionStage<Recovered.StoredSession> acquire(String clientId, boolean cleanStart) {
        return CompletableFuture.supplyAsync(() -> {
            if (!bringHere(clientId, cleanStart)) {
                LOG.warnf("Client %s: its id changed hands while it connected; reading the cluster's copy anyway",
                        clientId);
            }
            if (cleanStart) {
                store.discard(clientId);
                return null;
            }
            return store.take(clientId);
        }, handOvers);
    }

    @Override
    public void restored(String clientId) {
        restoredHere.accept(clientId);
    }

    /** True once no other node holds the client's session. Blocking. */
    private boolean bringHere(String clientId, boolean cleanStart) {
        for (int attempt = 0; attempt < 3; attempt++) {
            String previous = owners.get(clientId);
            if (previous != null && previous.startsWith(nodeId)) {
                return true;
            }
            if (previous != null) {
                int slash = previous.indexOf('/');
                String node = previous.substring(0, slash);
                if (!isMember.test(node) && heirTakesOver(clientId, previous)) {
                    continue;
                }
                if (handOver.request(node, clientId, Long.parseLong(previous.substring(slash + 1)), cleanStart)) {
                    return true;
                }
                if (!isMember.test(node)) {
                    // It left while asked (it was stopping): its heir adopts the session, to be asked next.
                    continue;
                }
            }
            long incarnation = incarnations.incrementAndGet();
            boolean claimed = previous == null ? owners.putIfAbsent(clientId, owner(incarnation)) == null
                    : owners.replace(clientId, previous, owner(incarnation));
            if (claimed) {
                here.put(clientId, incarnation);
                return true;
            }
        }
        return false;
    }

    @Override
    public void claim(String clientId) {
        long incarnation = incarnations.incrementAndGet();
        here.put(clientId, incarnation);
        owners.putAsync(clientId, owner(incarnation)).whenComplete((previous, failure) -> {
            if (failure != null) {
                LOG.warnf(failure, "Recording client %s in the cluster failed", clientId);
            } else if (previous != null && !previous.startsWith(nodeId)) {
                int slash = previous.indexOf('/');
                takeover.send(previous.substring(0, slash), clientId, Long.parseLong(previous.substring(slash + 1)));
            }
        });
    }

    @Override
    public void release(String clientId) {
        Long incarnation = here.remove(clientId);
        if (incarnation != null) {
            // The conditional remove has no async form; it must not run on the caller's event loop.
            blocking.execute(() -> owners.remove(clientId, owner(incarnation)));
        }
    }

    /**
     * Another node took the client over.
     *
     * @return true when this node still had that incarnation, whose session must now end
     */
    boolean takenOver(String clientId, long incarnation) {
        return here.remove(clientId, incarnation);
    }

    /**
     * The id's node left: its heir adopts the session, with what is published for it meanwhile, and this node
     * then asks the heir for it. True once the heir has taken the id; false when it did not within
     * {@link #HEIR_WAIT_MILLIS} (the caller then claims it). Blocking.
     */
    private boolean heirTakesOver(String clientId, String previous) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEIR_WAIT_MILLIS);
        while (System.nanoTime() - deadline < 0) {
            if (!previous.equals(owners.get(clientId))) {
                return true;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(HEIR_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        LOG.warnf("Client %s: the heir of its node that left did not adopt its session within %d ms; taken here",
                clientId, HEIR_WAIT_MILLIS);
        return false;
    }

    /**
     * Claims a client id whose node left, as its heir, unless another node claimed it meanwhile. Blocking.
     *
     * @param previous the id's entry that named the node that left
     */
    boolean adopt(String clientId, String previous) {
        long incarnation = incarnations.incrementAndGet();
        if (!owners.replace(clientId, previous, owner(incarnation))) {
            return false;
        }
        here.put(clientId, incarnation);
        return true;
    }

    /**
     * After a merge: writes this node's client ids back where the cluster lacks them. The ids the cluster has on
     * another node (the client connected on the other side meanwhile) stay there; they are returned, and their
     * sessions here must end. Blocking: never on an event loop.
     */
    List<String> reclaim() {
        List<String> lost = new ArrayList<>();
        here.forEach((clientId, incarnation) -> {
            String previous = owners.putIfAbsent(clientId, owner(incarnation));
            if (previous != null && !previous.startsWith(nodeId) && here.remove(clientId, incarnation)) {
                lost.add(clientId);
            }
        });
        return lost;
    }

    private String owner(long incarnation) {
        return nodeId + "/" + incarnation;
    }
}
