package dev.midge.routing;

import dev.midge.message.Message;
import dev.midge.message.Topics;
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

    /** Told of every change, under the store's lock, so that it sees them in the order they happened. */
    public interface Changes {
        Changes NONE = new Changes() {
            @Override
            public void stored(Message message) {
            }

            @Override
            public void removed(String topic) {
            }
        };

        void stored(Message message);

        void removed(String topic);
    }

    private final Node root = new Node();
    private final Changes changes;
    private final RetainedOwners owners = new RetainedOwners();
    private int count;

    public RetainedStore() {
        this(Changes.NONE);
    }

    public RetainedStore(Changes changes) {
        this.changes = changes;
    }

    /** Puts back a message read from the persistent store, without reporting it as a change. */
    public synchronized void restore(Message message) {
        place(message);
    }

    /** Stores the message as the topic's retained one, or clears the topic when the payload is empty. */
    public synchronized void put(Message message) {
        if (message.payload().length == 0) {
            if (remove(Topics.levels(message.topic()))) {
                changes.removed(message.topic());
            }
            return;
        }
        place(message);
        changes.stored(message);
    }

    private void place(Message message) {
        String[] levels = Topics.levels(message.topic());
        Node node = root;
        for (String level : levels) {
            node = node.children.computeIfAbsent(level, l -> new Node());
        }
        if (node.message == null) {
            count++;
        } else {
            owners.disown(node.message.origin());
        }
        owners.own(message.origin());
        node.message = message;
    }

    /** True when the topic had a retained message. */
    private boolean remove(String[] levels) {
        Node[] path = new Node[levels.length + 1];
        path[0] = root;
        for (int i = 0; i < levels.length; i++) {
            path[i + 1] = path[i].children.get(levels[i]);
            if (path[i + 1] == null) {
                return false;
            }
        }
        if (path[levels.length].message == null) {
            return false;
        }
        owners.disown(path[levels.length].message.origin());
        path[levels.length].message = null;
        count--;
        for (int i = levels.length; i > 0 && path[i].isEmpty(); i--) {
            path[i - 1].children.remove(levels[i - 1], path[i]);
        }
        return true;
    }

    public synchronized int size() {
        return count;
    }

    /**
     * Whether {@code origin} may set {@code topic}'s retained message and own at most {@code max}: it owns fewer,
     * or the topic's message is its own already (replacing it owns no more).
     */
    public synchronized boolean mayRetain(String origin, String topic, int max) {
        if (owners.count(origin) < max) {
            return true;
        }
        Node node = root;
        for (String level : Topics.levels(topic)) {
            node = node.children.get(level);
            if (node == null) {
                return false;
            }
        }
        return node.message != null && origin.equals(node.message.origin());
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

    /** The retained messages the filter matches, as {@link #forEachMatching}, but no more than {@code limit}. */
    public List<Message> matching(String filter, int limit) {
        List<Message> found = new ArrayList<>();
        if (limit <= 0) {
            return found;
        }
        try {
            forEachMatching(filter, m -> {
                found.add(m);
                if (found.size() == limit) {
                    throw LimitReached.INSTANCE;
                }
            });
        } catch (LimitReached e) {
            // Enough: the rest of the trie is not walked.
        }
        return found;
    }

    /** Stops a walk of the trie early; no stack trace, as it is not an error. */
    private static final class LimitReached extends RuntimeException {
        static final LimitReached INSTANCE = new LimitReached();

        private LimitReached() {
            super(null, null, false, false);
        }
    }

    private synchronized void removeIfCurrent(Message message) {
        Node node = root;
        for (String level : Topics.levels(message.topic())) {
            node = node.children.get(level);
            if (node == null) {
                return;
            }
        }
        if (node.message == message && remove(Topics.levels(message.topic()))) {
            changes.removed(message.topic());
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
