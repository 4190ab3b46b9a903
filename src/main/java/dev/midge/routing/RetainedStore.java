package dev.midge.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Retained messages in a trie keyed by topic level, so a wildcard subscription visits only what it matches. */
public final class RetainedStore {

    private static final class Node {
        final Map<String, Node> children = new ConcurrentHashMap<>();
        volatile Message message;

        boolean isEmpty() {
            return children.isEmpty() && message == null;
        }
    }

    private final Node root = new Node();
    private int count;

    /** Stores the message as the topic's retained one, or clears the topic when the payload is empty. */
    public synchronized void put(Message message) {
        String[] levels = Topics.levels(message.topic());
        if (message.payload().length == 0) {
            remove(levels);
            return;
        }
        Node node = root;
        for (String level : levels) {
            node = node.children.computeIfAbsent(level, l -> new Node());
        }
        if (node.message == null) {
            count++;
        }
        node.message = message;
    }

    private void remove(String[] levels) {
        Node[] path = new Node[levels.length + 1];
        path[0] = root;
        for (int i = 0; i < levels.length; i++) {
            path[i + 1] = path[i].children.get(levels[i]);
            if (path[i + 1] == null) {
                return;
            }
        }
        if (path[levels.length].message == null) {
            return;
        }
        path[levels.length].message = null;
        count--;
        for (int i = levels.length; i > 0 && path[i].isEmpty(); i--) {
            path[i - 1].children.remove(levels[i - 1], path[i]);
        }
    }

    public synchronized int size() {
        return count;
    }

    /**
     * Calls the consumer with every retained message whose topic the filter matches. Expired ones it meets
     * are removed instead.
     */
    public void forEachMatching(String filter, Consumer<Message> consumer) {
        long now = System.currentTimeMillis();
        List<Message> expired = new ArrayList<>();
        visit(root, Topics.levels(filter), 0, m -> {
            if (m.isExpired(now)) {
                expired.add(m);
            } else {
                consumer.accept(m);
            }
        });
        expired.forEach(this::removeIfCurrent);
    }

    private synchronized void removeIfCurrent(Message message) {
        Node node = root;
        for (String level : Topics.levels(message.topic())) {
            node = node.children.get(level);
            if (node == null) {
                return;
            }
        }
        if (node.message == message) {
            remove(Topics.levels(message.topic()));
        }
    }

    private static void visit(Node node, String[] filter, int depth, Consumer<Message> consumer) {
        if (depth == filter.length) {
            Message m = node.message;
            if (m != null) {
                consumer.accept(m);
            }
            return;
        }
        String level = filter[depth];
        if (level.equals("#")) {
            // '#' also matches the parent level itself.
            Message m = node.message;
            if (m != null) {
                consumer.accept(m);
            }
            node.children.forEach((name, child) -> {
                if (!(depth == 0 && name.startsWith("$"))) {
                    visitAll(child, consumer);
                }
            });
        } else if (level.equals("+")) {
            node.children.forEach((name, child) -> {
                if (!(depth == 0 && name.startsWith("$"))) {
                    visit(child, filter, depth + 1, consumer);
                }
            });
        } else {
            Node child = node.children.get(level);
            if (child != null) {
                visit(child, filter, depth + 1, consumer);
            }
        }
    }

    private static void visitAll(Node node, Consumer<Message> consumer) {
        Message m = node.message;
        if (m != null) {
            consumer.accept(m);
        }
        node.children.values().forEach(child -> visitAll(child, consumer));
    }
}
