package dev.midge.routing;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import dev.midge.message.TopicFilter;
import dev.midge.message.TopicName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The subscription trie: one node per filter level, '+' and '#' as ordinary child names. Matching walks only
 * the branches a topic can reach. Shared subscriptions hang off the node of their filter, one group per name.
 * Reads are lock-free; writes (subscribe, unsubscribe) take the tree's lock so that pruning empty branches
 * cannot race with an insert.
 */
public final class TopicTree {

    private static final class Node {
        final Map<String, Node> children = new ConcurrentHashMap<>();
        final Map<Subscriber, SubscriptionOptions> subscribers = new ConcurrentHashMap<>();
        final Map<String, SharedGroup> shared = new ConcurrentHashMap<>();

        boolean isEmpty() {
            return children.isEmpty() && subscribers.isEmpty() && shared.isEmpty();
        }
    }

    private record Member(Subscriber subscriber, SubscriptionOptions options) {
    }

    /** The members of one shared subscription; each message goes to one of them, taken in turn. */
    private static final class SharedGroup {
        final String sharedFilter;
        final CopyOnWriteArrayList<Member> members = new CopyOnWriteArrayList<>();
        final AtomicInteger turn = new AtomicInteger();

        SharedGroup(String sharedFilter) {
            this.sharedFilter = sharedFilter;
        }

        /** The next member in turn that is online and keeping up; failing that, the next online; then any. */
        Member pick() {
            Object[] all = members.toArray();
            if (all.length == 0) {
                return null;
            }
            int start = Math.floorMod(turn.getAndIncrement(), all.length);
            Member online = null;
            for (int i = 0; i < all.length; i++) {
                Member m = (Member) all[(start + i) % all.length];
                if (m.subscriber().isOnline()) {
                    if (!m.subscriber().isCongested()) {
                        return m;
                    }
                    if (online == null) {
                        online = m;
                    }
                }
            }
            return online != null ? online : (Member) all[start];
        }

        int indexOf(Subscriber subscriber) {
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).subscriber() == subscriber) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** What one subscriber gets from all its subscriptions matching one message. */
    public static final class Match {
        private int qos = -1;
        private boolean retainAsPublished;
        private int[] subscriptionIds = new int[0];
        private String sharedFilter;

        void addShared(SubscriptionOptions options, String filter) {
            add(options);
            sharedFilter = filter;
        }

        void add(SubscriptionOptions options) {
            qos = Math.max(qos, options.qos());
            retainAsPublished |= options.retainAsPublished();
            if (options.subscriptionId() != 0) {
                int[] ids = Arrays.copyOf(subscriptionIds, subscriptionIds.length + 1);
                ids[subscriptionIds.length] = options.subscriptionId();
                subscriptionIds = ids;
            }
        }

        /** The delivery of a message published with the given QoS and retain flag. */
        public Delivery delivery(int messageQos, boolean messageRetain) {
            int effective = Math.min(qos, messageQos);
            boolean retain = retainAsPublished && messageRetain;
            return subscriptionIds.length == 0 && sharedFilter == null ? Delivery.of(effective, retain)
                    : new Delivery(effective, retain, subscriptionIds, sharedFilter);
        }
    }

    /**
     * Hears when a plain filter gets its first subscriber and loses its last, and a shared group (by its
     * {@code $share/g/f} text) its first member and its last; called under the tree's lock.
     */
    public interface FilterListener {
        void firstSubscriber(String filter);

        void lastSubscriberGone(String filter);
    }

    private static final FilterListener NOBODY = new FilterListener() {
        @Override
        public void firstSubscriber(String filter) {
        }

        @Override
        public void lastSubscriberGone(String filter) {
        }
    };

    private final Node root = new Node();
    private int count;
    private FilterListener listener = NOBODY;

    /** Tells the listener about filters from now on, after telling it every filter and group held already. */
    public synchronized void listen(FilterListener newListener) {
        listener = newListener;
        root.children.forEach((level, child) -> forEachFilter(child, level, newListener));
    }

    private static void forEachFilter(Node node, String filter, FilterListener into) {
        if (!node.subscribers.isEmpty()) {
            into.firstSubscriber(filter);
        }
        node.shared.values().forEach(group -> into.firstSubscriber(group.sharedFilter));
        node.children.forEach((level, child) -> forEachFilter(child, filter + "/" + level, into));
    }

    /**
     * Adds or replaces the subscriber's subscription to the filter, which may be a shared one. Returns true
     * when it replaced one.
     */
    public synchronized boolean subscribe(TopicFilter filter, Subscriber subscriber, SubscriptionOptions options) {
        Node node = root;
        for (int i = 0; i < filter.levelCount(); i++) {
            node = node.children.computeIfAbsent(filter.level(i), l -> new Node());
        }
        boolean replaced;
        if (!filter.isShared()) {
            replaced = node.subscribers.put(subscriber, options) != null;
            if (!replaced && node.subscribers.size() == 1) {
                listener.firstSubscriber(filter.text());
            }
        } else {
            SharedGroup group = node.shared.get(filter.shareGroup());
            boolean first = group == null;
            if (first) {
                group = new SharedGroup(filter.text());
                node.shared.put(filter.shareGroup(), group);
            }
            int index = group.indexOf(subscriber);
            replaced = index >= 0;
            if (replaced) {
                group.members.set(index, new Member(subscriber, options));
            } else {
                group.members.add(new Member(subscriber, options));
            }
            if (first) {
                listener.firstSubscriber(group.sharedFilter);
            }
        }
        if (!replaced) {
            count++;
        }
        return replaced;
    }

    /** Removes the subscriber's subscription to the filter. Returns true when there was one. */
    public synchronized boolean unsubscribe(TopicFilter filter, Subscriber subscriber) {
        int depth = filter.levelCount();
        Node[] path = new Node[depth + 1];
        path[0] = root;
        for (int i = 0; i < depth; i++) {
            path[i + 1] = path[i].children.get(filter.level(i));
            if (path[i + 1] == null) {
                return false;
            }
        }
        if (!removeFrom(path[depth], filter, subscriber)) {
            return false;
        }
        count--;
        for (int i = depth; i > 0 && path[i].isEmpty(); i--) {
            path[i - 1].children.remove(filter.level(i - 1), path[i]);
        }
        return true;
    }

    private boolean removeFrom(Node node, TopicFilter filter, Subscriber subscriber) {
        if (!filter.isShared()) {
            if (node.subscribers.remove(subscriber) == null) {
                return false;
            }
            if (node.subscribers.isEmpty()) {
                listener.lastSubscriberGone(filter.text());
            }
            return true;
        }
        SharedGroup group = node.shared.get(filter.shareGroup());
        int index = group == null ? -1 : group.indexOf(subscriber);
        if (index < 0) {
            return false;
        }
        group.members.remove(index);
        if (group.members.isEmpty()) {
            node.shared.remove(filter.shareGroup());
            listener.lastSubscriberGone(group.sharedFilter);
        }
        return true;
    }

    /**
     * The filters subscribed to, each with its number of subscribers (a shared group as its
     * {@code $share/group/filter} with its members), ordered by filter, no more than {@code limit}. A read of
     * the lock-free trie: a subscription changing meanwhile may or may not be seen.
     */
    public Map<String, Integer> filters(int limit) {
        Map<String, Integer> found = new TreeMap<>();
        root.children.forEach((level, child) -> collectFilters(child, level, limit, found));
        return found;
    }

    private static void collectFilters(Node node, String filter, int limit, Map<String, Integer> found) {
        if (found.size() >= limit) {
            return;
        }
        if (!node.subscribers.isEmpty()) {
            found.put(filter, node.subscribers.size());
        }
        node.shared.forEach((name, group) -> {
            if (found.size() < limit && !group.members.isEmpty()) {
                found.put(group.sharedFilter, group.members.size());
            }
        });
        node.children.forEach((level, child) -> collectFilters(child, filter + "/" + level, limit, found));
    }

    /** Number of subscriptions held, each shared-group membership counted once. */
    public synchronized int size() {
        return count;
    }

    /**
     * Every subscriber that gets the message, each once: those with a matching filter (unless No Local
     * excludes the publisher itself) and one member of each matching shared group.
     */
    public Map<Subscriber, Match> match(Message message) {
        return match(message, SharedGroups.ALL);
    }

    /** As {@link #match(Message)}, with only the matching shared groups that {@code groups} includes. */
    public Map<Subscriber, Match> match(Message message, SharedGroups groups) {
        // The matching nodes first, so that the result is sized once: a fan-out to thousands of subscribers
        // would otherwise rehash it a dozen times per message.
        List<Node> matched = new ArrayList<>(4);
        collect(root, message.topicName(), 0, matched);
        int expected = 0;
        for (Node node : matched) {
            expected += node.subscribers.size() + (groups == SharedGroups.NONE ? 0 : node.shared.size());
        }
        Map<Subscriber, Match> result = new HashMap<>(expected + expected / 3 + 1);
        for (Node node : matched) {
            addAll(node, message.origin(), groups, result);
        }
        return result;
    }

    private static void collect(Node node, TopicName topic, int depth, List<Node> matched) {
        boolean wildcardsAllowed = topic.wildcardMatchesAt(depth);
        if (wildcardsAllowed) {
            Node hash = node.children.get("#");
            if (hash != null) {
                matched.add(hash);
            }
        }
        if (depth == topic.levelCount()) {
            matched.add(node);
            return;
        }
        Node exact = node.children.get(topic.level(depth));
        if (exact != null) {
            collect(exact, topic, depth + 1, matched);
        }
        if (wildcardsAllowed) {
            Node plus = node.children.get("+");
            if (plus != null) {
                collect(plus, topic, depth + 1, matched);
            }
        }
    }

    private static void addAll(Node node, String origin, SharedGroups groups, Map<Subscriber, Match> result) {
        node.subscribers.forEach((subscriber, options) -> {
            if (!(options.noLocal() && origin != null && origin.equals(subscriber.clientId()))) {
                result.computeIfAbsent(subscriber, s -> new Match()).add(options);
            }
        });
        if (node.shared.isEmpty()) {
            return;
        }
        for (SharedGroup group : node.shared.values()) {
            Member member = groups.includes(group.sharedFilter) ? group.pick() : null;
            if (member != null) {
                result.computeIfAbsent(member.subscriber(), s -> new Match())
                        .addShared(member.options(), group.sharedFilter);
                groups.picked(group.sharedFilter, member.subscriber());
            }
        }
    }

    /** Hands a message to one member of a shared group, as when the member it went to ended its session. */
    public boolean deliverToShared(String sharedFilter, Message message, Subscriber except) {
        TopicFilter shared = TopicFilter.of(sharedFilter);
        Node node = root;
        for (int i = 0; i < shared.levelCount(); i++) {
            node = node.children.get(shared.level(i));
            if (node == null) {
                return false;
            }
        }
        SharedGroup group = node.shared.get(shared.shareGroup());
        if (group == null) {
            return false;
        }
        for (int attempt = 0; attempt < group.members.size(); attempt++) {
            Member member = group.pick();
            if (member != null && member.subscriber() != except) {
                Match match = new Match();
                match.addShared(member.options(), group.sharedFilter);
                member.subscriber().deliver(message, match.delivery(message.qos(), false));
                return true;
            }
        }
        return false;
    }
}
