package dev.midge.routing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscription trie: one node per filter level, '+' and '#' as ordinary child names. Matching walks only
 * the branches a topic can reach. Reads are lock-free; writes (subscribe, unsubscribe) take the tree's lock so
 * that pruning empty branches cannot race with an insert.
 */
public final class TopicTree {

    private static final class Node {
        final Map<String, Node> children = new ConcurrentHashMap<>();
        final Map<Subscriber, Integer> subscribers = new ConcurrentHashMap<>();

        boolean isEmpty() {
            return children.isEmpty() && subscribers.isEmpty();
        }
    }

    private final Node root = new Node();
    private int count;

    /** Adds or replaces the subscriber's subscription to the filter. Returns true when it replaced one. */
    public synchronized boolean subscribe(String filter, Subscriber subscriber, int qos) {
        Node node = root;
        for (String level : Topics.levels(filter)) {
            node = node.children.computeIfAbsent(level, l -> new Node());
        }
        boolean replaced = node.subscribers.put(subscriber, qos) != null;
        if (!replaced) {
            count++;
        }
        return replaced;
    }

    /** Removes the subscriber's subscription to the filter. Returns true when there was one. */
    public synchronized boolean unsubscribe(String filter, Subscriber subscriber) {
        String[] levels = Topics.levels(filter);
        Node[] path = new Node[levels.length + 1];
        path[0] = root;
        for (int i = 0; i < levels.length; i++) {
            path[i + 1] = path[i].children.get(levels[i]);
            if (path[i + 1] == null) {
                return false;
            }
        }
        if (path[levels.length].subscribers.remove(subscriber) == null) {
            return false;
        }
        count--;
        for (int i = levels.length; i > 0 && path[i].isEmpty(); i--) {
            path[i - 1].children.remove(levels[i - 1], path[i]);
        }
        return true;
    }

    /** Number of subscriptions held. */
    public synchronized int size() {
        return count;
    }

    /**
     * Every subscriber with a filter matching the topic, each once, with the highest QoS among its matching
     * subscriptions.
     */
    public Map<Subscriber, Integer> match(String topic) {
        Map<Subscriber, Integer> result = new HashMap<>();
        String[] levels = Topics.levels(topic);
        collect(root, levels, 0, topic.startsWith("$"), result);
        return result;
    }

    private static void collect(Node node, String[] levels, int depth, boolean dollarTopic,
            Map<Subscriber, Integer> result) {
        boolean wildcardsAllowed = !(depth == 0 && dollarTopic);
        if (wildcardsAllowed) {
            Node hash = node.children.get("#");
            if (hash != null) {
                addAll(hash, result);
            }
        }
        if (depth == levels.length) {
            addAll(node, result);
            return;
        }
        Node exact = node.children.get(levels[depth]);
        if (exact != null) {
            collect(exact, levels, depth + 1, dollarTopic, result);
        }
        if (wildcardsAllowed) {
            Node plus = node.children.get("+");
            if (plus != null) {
                collect(plus, levels, depth + 1, dollarTopic, result);
            }
        }
    }

    private static void addAll(Node node, Map<Subscriber, Integer> result) {
        node.subscribers.forEach((subscriber, qos) -> result.merge(subscriber, qos, Math::max));
    }
}
