package dev.midge.cluster;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import dev.midge.persistence.BrokerStore;
import dev.midge.persistence.RecordCodec;
import dev.midge.persistence.Recovered;
import dev.midge.persistence.StoreStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The store of a clustered node: every change goes to this node's own store (disk, or nothing when persistence
 * is off) and, once the node has joined, to the cluster's copy ({@link SessionReplica}), whose backups keep it
 * when this node dies. Under {@code sync=always} an acknowledgement waits for both.
 *
 * <p>Message ids are drawn from the clock (milliseconds shifted left by 16, then counting), so that they grow
 * across nodes too: a session that moved keeps its messages' order when the new node queues more.
 */
final class ReplicatedStore implements BrokerStore {

    private static final Logger LOG = Logger.getLogger(ReplicatedStore.class);
    private static final int ID_SHIFT = 16;

    private final BrokerStore local;
    private final boolean acknowledgementsWait;
    private volatile SessionReplica replica;
    /** Whose each replicated message is: the engine's key needs the client id, removals carry only the id. */
    private final Map<Long, String> messageOwners = new ConcurrentHashMap<>();
    /** The messages whose progress (a QoS 2 PUBREC) is in the cluster's copy: only their removal deletes it too. */
    private final Set<Long> withProgress = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastId = new AtomicLong();
    private final Set<CompletableFuture<?>> outstanding = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<ThreadChanges> threadChanges = ThreadLocal.withInitial(ThreadChanges::new);
    /** What the local store held at open, until the node joined and knows whether the cluster's copy wins. */
    private Recovered recovered;

    ReplicatedStore(BrokerStore local, boolean acknowledgementsWait) {
        this.local = local;
        this.acknowledgementsWait = acknowledgementsWait;
    }

    @Override
    public boolean isEnabled() {
        return true;
    }

    @Override
    public Recovered open() {
        Recovered read = local.open();
        read.sessions().forEach(s -> s.outbound().forEach(o -> raiseLastId(o.id())));
        recovered = new Recovered(new ArrayList<>(read.retained()), new ArrayList<>(read.sessions()));
        return recovered;
    }

    /**
     * The node has joined. Alone, it is the cluster: what its store held becomes the cluster's copy. Joining
     * others, the cluster's copy wins: the sessions its store held were taken over by the others when it left
     * (or ended since), so they are dropped here, and the retained messages are the cluster's. Blocking.
     */
    void joined(SessionReplica engine, boolean alone) {
        Recovered read = recovered == null ? Recovered.NOTHING : recovered;
        recovered = null;
        if (alone) {
            replica = engine;
            read.retained().forEach(this::putRetainedInCluster);
            read.sessions().forEach(this::copyToCluster);
            return;
        }
        for (Recovered.StoredSession s : read.sessions()) {
            local.removeSession(s.clientId());
            s.outbound().forEach(o -> local.removeOutbound(o.id()));
        }
        read.sessions().clear();
        List<Message> retained = engine.retained();
        read.retained().forEach(m -> local.removeRetained(m.topic()));
        read.retained().clear();
        read.retained().addAll(retained);
        retained.forEach(local::putRetained);
        replica = engine;
    }

    /** The node leaves the cluster: from now on, changes stay local. */
    void left() {
        replica = null;
    }

    private void putRetainedInCluster(Message message) {
        replicate(r -> r.putRetained(message));
    }

    private void copyToCluster(Recovered.StoredSession s) {
        String id = s.clientId();
        replicate(r -> r.update(id, SessionUpdate.session(s.expiryInterval(), s.disconnectedAt())));
        s.subscriptions().forEach((filter, options) -> putSubscriptionInCluster(id, filter, options));
        s.awaitingRelease().forEach(packetId -> replicate(r -> r.update(id, SessionUpdate.awaitRelease(packetId, true))));
        if (s.will() != null) {
            byte[] will = RecordCodec.will(s.will().message(), s.will().publishAt());
            replicate(r -> r.update(id, SessionUpdate.will(will)));
        }
        for (Recovered.StoredOutbound o : s.outbound()) {
            addOutboundInCluster(o.id(), id, o.message(), o.delivery());
            if (o.packetId() != 0) {
                updateOutbound(o.id(), o.packetId(), o.released());
            }
        }
    }

    /**
     * Takes the client's session from the cluster's copy, to resume it on this node: it is written to the local
     * store as well. Null when the cluster holds none. Blocking.
     */
    Recovered.StoredSession take(String clientId) {
        SessionReplica engine = replica;
        Recovered.StoredSession s = engine == null ? null : engine.load(clientId);
        if (s == null) {
            return null;
        }
        local.putSession(clientId, s.expiryInterval(), s.disconnectedAt());
        s.subscriptions().forEach((filter, options) -> local.putSubscription(clientId, filter, options));
        s.awaitingRelease().forEach(packetId -> local.addAwaitingRelease(clientId, packetId));
        if (s.will() != null) {
            local.putWill(clientId, s.will().message(), s.will().publishAt());
        }
        for (Recovered.StoredOutbound o : s.outbound()) {
            raiseLastId(o.id());
            messageOwners.put(o.id(), clientId);
            if (o.released()) {
                withProgress.add(o.id());
            }
            local.addOutbound(o.id(), clientId, o.message(), o.delivery());
            if (o.packetId() != 0) {
                local.updateOutbound(o.id(), o.packetId(), o.released());
            }
        }
        return s;
    }

    /** A clean start: whatever the cluster held for the client id goes. Blocking. */
    void discard(String clientId) {
        SessionReplica engine = replica;
        if (engine != null) {
            engine.delete(clientId);
        }
    }

    /** Whether the cluster holds a durable session for the client id. Blocking. */
    boolean holds(String clientId) {
        SessionReplica engine = replica;
        return engine != null && engine.holds(clientId);
    }

    /** Changes not yet confirmed by the cluster's copy. */
    int unreplicated() {
        return outstanding.size();
    }

    /** Completes when every change made so far is in the cluster's copy. */
    CompletableFuture<Void> replicated() {
        return CompletableFuture.allOf(outstanding.toArray(CompletableFuture[]::new));
    }

    @Override
    public void forgetSession(String clientId) {
        local.removeSession(clientId);
        messageOwners.entrySet().removeIf(e -> {
            if (e.getValue().equals(clientId)) {
                local.removeOutbound(e.getKey());
                withProgress.remove(e.getKey());
                return true;
            }
            return false;
        });
    }

    @Override
    public void putRetained(Message message) {
        local.putRetained(message);
        putRetainedInCluster(message);
    }

    @Override
    public void removeRetained(String topic) {
        local.removeRetained(topic);
        replicate(r -> r.removeRetained(topic));
    }

    @Override
    public void putSession(String clientId, long expiryInterval, long disconnectedAt) {
        local.putSession(clientId, expiryInterval, disconnectedAt);
        replicate(r -> r.update(clientId, SessionUpdate.session(expiryInterval, disconnectedAt)));
    }

    @Override
    public void removeSession(String clientId) {
        local.removeSession(clientId);
        replicate(r -> r.removeSession(clientId));
    }

    @Override
    public void putSubscription(String clientId, String filter, SubscriptionOptions options) {
        local.putSubscription(clientId, filter, options);
        putSubscriptionInCluster(clientId, filter, options);
    }

    private void putSubscriptionInCluster(String clientId, String filter, SubscriptionOptions options) {
        replicate(r -> r.update(clientId, SessionUpdate.subscribe(filter, RecordCodec.subscription(options))));
    }

    @Override
    public void removeSubscription(String clientId, String filter) {
        local.removeSubscription(clientId, filter);
        replicate(r -> r.update(clientId, SessionUpdate.unsubscribe(filter)));
    }

    @Override
    public long newOutboundId() {
        long floor = System.currentTimeMillis() << ID_SHIFT;
        return lastId.updateAndGet(last -> Math.max(last + 1, floor));
    }

    private void raiseLastId(long id) {
        lastId.accumulateAndGet(id, Math::max);
    }

    @Override
    public void addOutbound(long id, String clientId, Message message, Delivery delivery) {
        local.addOutbound(id, clientId, message, delivery);
        addOutboundInCluster(id, clientId, message, delivery);
    }

    private void addOutboundInCluster(long id, String clientId, Message message, Delivery delivery) {
        if (replica == null) {
            return;
        }
        messageOwners.put(id, clientId);
        byte[] record = RecordCodec.outbound(clientId, delivery, RecordCodec.message(message));
        replicate(r -> r.putMessage(clientId, id, record));
    }

    @Override
    public void updateOutbound(long id, int packetId, boolean released) {
        local.updateOutbound(id, packetId, released);
        String clientId = messageOwners.get(id);
        // Only a QoS 2 message's PUBREC goes to the cluster: what was merely sent is resent flagged DUP after a
        // move anyway, and one write fewer per delivery keeps the engine's load down.
        if (clientId != null && released) {
            long progress = RecordCodec.progress(packetId, released);
            withProgress.add(id);
            replicate(r -> r.progress(clientId, id, progress));
        }
    }

    @Override
    public void removeOutbound(long id) {
        local.removeOutbound(id);
        String clientId = messageOwners.remove(id);
        if (clientId != null) {
            // Most messages never had progress: one delete instead of two keeps the engine's load down.
            boolean progress = withProgress.remove(id);
            replicate(r -> r.removeMessage(clientId, id, progress));
        }
    }

    @Override
    public void addAwaitingRelease(String clientId, int packetId) {
        local.addAwaitingRelease(clientId, packetId);
        replicate(r -> r.update(clientId, SessionUpdate.awaitRelease(packetId, true)));
    }

    @Override
    public void removeAwaitingRelease(String clientId, int packetId) {
        local.removeAwaitingRelease(clientId, packetId);
        replicate(r -> r.update(clientId, SessionUpdate.awaitRelease(packetId, false)));
    }

    @Override
    public void putWill(String clientId, Message will, long publishAt) {
        local.putWill(clientId, will, publishAt);
        byte[] record = RecordCodec.will(will, publishAt);
        replicate(r -> r.update(clientId, SessionUpdate.will(record)));
    }

    @Override
    public void removeWill(String clientId) {
        local.removeWill(clientId);
        replicate(r -> r.update(clientId, SessionUpdate.will(null)));
    }

    private void replicate(Function<SessionReplica, CompletableFuture<?>> change) {
        SessionReplica engine = replica;
        if (engine == null) {
            return;
        }
        CompletableFuture<?> done = change.apply(engine);
        outstanding.add(done);
        done.whenComplete((ignored, failure) -> {
            outstanding.remove(done);
            if (failure != null) {
                LOG.warnf(failure, "A change did not reach the cluster's copy of the sessions");
            }
        });
        if (acknowledgementsWait) {
            threadChanges.get().add(done);
        }
    }

    /** Whether acknowledgements wait for other nodes to keep what a message changed there ({@code sync=always}). */
    boolean forwardsWait() {
        return acknowledgementsWait;
    }

    /** The calling thread's next acknowledgement waits for this too (a message forwarded to another node). */
    void alsoWaitFor(CompletableFuture<?> confirmed) {
        if (acknowledgementsWait) {
            threadChanges.get().add(confirmed);
        }
    }

    @Override
    public long changesByThisThread() {
        long own = acknowledgementsWait ? threadChanges.get().count : 0;
        return local.changesByThisThread() + own;
    }

    @Override
    public void whenDurable(Runnable callback) {
        whenDurable(callback, callback);
    }

    @Override
    public void whenDurable(Runnable callback, Runnable failed) {
        CompletableFuture<?>[] waiting = acknowledgementsWait ? threadChanges.get().drain() : ThreadChanges.NONE;
        if (waiting.length == 0) {
            local.whenDurable(callback);
            return;
        }
        CompletableFuture.allOf(waiting).whenComplete((ignored, failure) -> {
            if (failure == null) {
                local.whenDurable(callback);
            } else {
                failed.run();
            }
        });
    }

    @Override
    public void close() {
        local.close();
    }

    @Override
    public StoreStatus status() {
        return local.status();
    }

    /** The changes the cluster has not confirmed yet that one thread made since it last asked to wait. */
    private static final class ThreadChanges {
        static final CompletableFuture<?>[] NONE = new CompletableFuture<?>[0];
        private static final int PRUNE_AT = 256;
        final List<CompletableFuture<?>> pending = new ArrayList<>();
        long count;

        void add(CompletableFuture<?> change) {
            count++;
            if (pending.size() >= PRUNE_AT) {
                pending.removeIf(CompletableFuture::isDone);
            }
            pending.add(change);
        }

        CompletableFuture<?>[] drain() {
            CompletableFuture<?>[] all = pending.toArray(NONE);
            pending.clear();
            return all;
        }
    }
}
