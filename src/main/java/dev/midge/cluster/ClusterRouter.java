package dev.midge.cluster;

import com.hazelcast.map.IMap;
import dev.midge.message.Message;
import dev.midge.routing.ClusterRouting;
import dev.midge.routing.Subscriber;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * This node's side of the routing between nodes. A filter that gains its first subscriber here (or loses its
 * last), and a shared group its first member or its last (as the route {@code $share/g/f}), is written to the
 * engine's route map, then sent to every other node, which applies it before answering; the SUBACK or UNSUBACK
 * waits for all of that. Changes of one filter are made one after the other. A published message goes, once,
 * to each node whose routes match it, named with the shared groups it is to serve there (those that have no
 * member here, one node each); a retained one goes to every node, which stores it. A route of a node that left
 * leads to its heir until that node's sessions are adopted ({@link OrphanRoute}).
 */
final class ClusterRouter implements ClusterRouting {

    private static final Logger LOG = Logger.getLogger(ClusterRouter.class);

    /** One change of this node's route to a filter, numbered so that a node applying it late can tell. */
    record Change(String nodeId, String filter, long sequence, boolean added) {
    }

    private final String nodeId;
    private final IMap<String, Long> routes;
    private final Function<Change, CompletionStage<Void>> broadcast;
    private final RemoteRoutes remote;
    private final Supplier<Collection<PeerLink>> links;
    private final BiConsumer<OrphanRoute, Message> orphaned;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    private final Set<String> local = ConcurrentHashMap.newKeySet();

    ClusterRouter(String nodeId, IMap<String, Long> routes, Function<Change, CompletionStage<Void>> broadcast,
            RemoteRoutes remote, Supplier<Collection<PeerLink>> links, BiConsumer<OrphanRoute, Message> orphaned) {
        this.orphaned = orphaned;
        this.nodeId = nodeId;
        this.routes = routes;
        this.broadcast = broadcast;
        this.remote = remote;
        this.links = links;
    }

    @Override
    public void filterAdded(String filter) {
        change(filter, true);
    }

    @Override
    public void filterRemoved(String filter) {
        change(filter, false);
    }

    /** Writes and sends every route of this node again, as added: after a merge the others may lack them. */
    void republish() {
        local.forEach(filter -> change(filter, true));
    }

    private void change(String filter, boolean added) {
        if (added) {
            local.add(filter);
        } else {
            local.remove(filter);
        }
        Change change = new Change(nodeId, filter, sequence.incrementAndGet(), added);
        CompletableFuture<Void> next = pending.compute(filter, (f, previous) ->
                (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
                        .thenCompose(done -> write(change)));
        next.whenComplete((done, failure) -> pending.remove(filter, next));
    }

    private CompletionStage<Void> write(Change change) {
        String key = RouteKeys.key(nodeId, change.filter());
        CompletionStage<?> stored = change.added() ? routes.setAsync(key, change.sequence()) : routes.deleteAsync(key);
        return stored.handle((result, failure) -> {
            if (failure != null) {
                LOG.warnf(failure, "Storing the route of %s failed; the other nodes still get the change",
                        change.filter());
            }
            return change;
        }).thenCompose(broadcast).exceptionally(failure -> {
            LOG.warnf(failure, "Sending the route of %s to the other nodes failed", change.filter());
            return null;
        });
    }

    @Override
    public CompletionStage<Void> settled(String filter) {
        CompletableFuture<Void> last = pending.get(filter);
        return last == null ? DONE : last;
    }

    @Override
    public Subscriber forward(Message message, Collection<String> groupsServedHere) {
        if (message.topicName().isSys()) {
            return null;
        }
        Subscriber congested = null;
        Map<Subscriber, List<String>> matched = remote.match(message, groupsServedHere);
        if (message.retain()) {
            for (PeerLink link : links.get()) {
                matched.putIfAbsent(link, List.of());
            }
        }
        for (Map.Entry<Subscriber, List<String>> target : matched.entrySet()) {
            Subscriber node = target.getKey();
            if (node instanceof PeerLink link) {
                link.send(message, target.getValue());
            } else {
                orphaned.accept((OrphanRoute) node, message);
            }
            if (congested == null && node.isCongested()) {
                congested = node;
            }
        }
        return congested;
    }

    @Override
    public Message stamped(Message message) {
        long serial;
        do {
            serial = ThreadLocalRandom.current().nextLong();
        } while (serial == 0);
        return message.withSerial(serial);
    }

    /** Route changes not yet seen by every node. */
    int pendingChanges() {
        return pending.size();
    }
}
