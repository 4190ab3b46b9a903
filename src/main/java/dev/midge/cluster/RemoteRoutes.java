package dev.midge.cluster;

import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import dev.midge.message.TopicFilter;
import dev.midge.routing.Subscriber;
import dev.midge.routing.TopicTree;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The other nodes' routes, as this node holds them: a subscription tree in which each route is the filter with
 * the node's {@link PeerLink} as subscriber. Changes arrive from two sides, the route change each node sends
 * to all others before its SUBACK, and the engine's events on the route map (which also cover a node that
 * joins while a change is under way), in any order: each change carries the sequence number its node gave it,
 * and a change older than the last one applied for the same route is ignored.
 */
final class RemoteRoutes {

    // QoS 2 and no options of its own: the forwarded message keeps its QoS and the receiving node applies its
    // subscriptions' options, as for a message published there.
    private static final SubscriptionOptions WHOLE_NODE = new SubscriptionOptions(2, false, false, 0, 0);

    private record State(long sequence, boolean present) {
    }

    private final TopicTree tree = new TopicTree();
    private final Map<String, State> states = new HashMap<>();
    private int size;

    /**
     * Applies one change of a node's route to a filter.
     *
     * @return true when the route table changed
     */
    synchronized boolean apply(PeerLink node, String filter, long sequence, boolean added) {
        String key = RouteKeys.key(node.nodeId(), filter);
        State state = states.get(key);
        if (state != null && (added ? sequence <= state.sequence() : sequence < state.sequence())) {
            return false;
        }
        states.put(key, new State(sequence, added));
        boolean was = state != null && state.present();
        if (added && !was) {
            tree.subscribe(TopicFilter.of(filter), node, WHOLE_NODE);
            size++;
            return true;
        }
        if (!added && was) {
            tree.unsubscribe(TopicFilter.of(filter), node);
            size--;
            return true;
        }
        return false;
    }

    /** Drops every route of a node that left the cluster. */
    synchronized void removeNode(PeerLink node) {
        String prefix = RouteKeys.key(node.nodeId(), "");
        states.entrySet().removeIf(entry -> {
            if (!entry.getKey().startsWith(prefix)) {
                return false;
            }
            if (entry.getValue().present()) {
                tree.unsubscribe(TopicFilter.of(RouteKeys.filter(entry.getKey())), node);
                size--;
            }
            return true;
        });
    }

    /** The nodes with at least one subscription matching the message, each once. */
    Set<Subscriber> match(Message message) {
        return tree.match(message, false).keySet();
    }

    /** Routes held, one per node and filter. */
    synchronized int size() {
        return size;
    }
}
