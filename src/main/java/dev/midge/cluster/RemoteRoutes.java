package dev.midge.cluster;

import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import dev.midge.message.TopicFilter;
import dev.midge.routing.SharedGroups;
import dev.midge.routing.Subscriber;
import dev.midge.routing.TopicTree;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The other nodes' routes, as this node holds them: a subscription tree in which each route is the filter with
 * the node's {@link PeerLink} as subscriber, and each shared group with members on a node has that node's link
 * as a member, so that the tree's turn-taking picks one node per message. Changes arrive from two sides, the
 * route change each node sends
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
    private final Map<OrphanRoute, List<TopicFilter>> redirected = new HashMap<>();
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
        redirect(node, null);
    }

    /**
     * A node left: its plain routes lead to its heir from now on, through the orphan route given, until its
     * sessions are adopted ({@link #dropRedirect}). Its shared groups are dropped: their messages go to members
     * on other nodes.
     */
    synchronized void redirect(PeerLink node, OrphanRoute orphans) {
        String prefix = RouteKeys.key(node.nodeId(), "");
        List<TopicFilter> kept = new ArrayList<>();
        states.entrySet().removeIf(entry -> {
            if (!entry.getKey().startsWith(prefix)) {
                return false;
            }
            if (entry.getValue().present()) {
                TopicFilter filter = TopicFilter.of(RouteKeys.filter(entry.getKey()));
                tree.unsubscribe(filter, node);
                size--;
                if (orphans != null && !filter.isShared()) {
                    tree.subscribe(filter, orphans, WHOLE_NODE);
                    kept.add(filter);
                }
            }
            return true;
        });
        if (orphans != null) {
            redirected.put(orphans, kept);
        }
    }

    /** The sessions of the node that left are adopted: its routes lead nowhere any more. */
    synchronized void dropRedirect(OrphanRoute orphans) {
        List<TopicFilter> filters = redirected.remove(orphans);
        if (filters != null) {
            filters.forEach(filter -> tree.unsubscribe(filter, orphans));
        }
    }

    /** The routes of nodes that left and whose sessions are not adopted yet, by node. */
    synchronized List<OrphanRoute> redirects() {
        return List.copyOf(redirected.keySet());
    }

    /**
     * Where the message goes: each node with at least one plain route matching it, once (a {@link PeerLink}, or an
     * {@link OrphanRoute} for a node that left), and for each matching
     * shared group not served here, one node with members of it, taken in turn (a node whose link is
     * congested only when all are). Each node comes with the groups it is to serve, often none.
     *
     * @param servedHere the groups, by their {@code $share/g/f} text, this node served the message to
     */
    Map<Subscriber, List<String>> match(Message message, Collection<String> servedHere) {
        GroupPicks picks = new GroupPicks(servedHere);
        Map<Subscriber, TopicTree.Match> nodes = tree.match(message, picks);
        Map<Subscriber, List<String>> targets = new HashMap<>(nodes.size() * 2);
        for (Subscriber node : nodes.keySet()) {
            targets.put(node, picks.of(node));
        }
        return targets;
    }

    /** Routes held, one per node and filter. */
    synchronized int size() {
        return size;
    }

    /** The groups this node did not serve, and the node picked for each. */
    private static final class GroupPicks implements SharedGroups {
        private final Collection<String> servedHere;
        private Map<Subscriber, List<String>> picked;

        GroupPicks(Collection<String> servedHere) {
            this.servedHere = servedHere;
        }

        @Override
        public boolean includes(String sharedFilter) {
            return !servedHere.contains(sharedFilter);
        }

        @Override
        public void picked(String sharedFilter, Subscriber node) {
            if (picked == null) {
                picked = new HashMap<>(4);
            }
            picked.computeIfAbsent(node, n -> new ArrayList<>(2)).add(sharedFilter);
        }

        List<String> of(Subscriber node) {
            return picked == null ? List.of() : picked.getOrDefault(node, List.of());
        }
    }
}
