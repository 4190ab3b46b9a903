package dev.midge.routing;

import dev.midge.message.Message;
import dev.midge.message.TopicFilter;
import dev.midge.message.TopicName;
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
            public void removed(TopicName topic) {
            }
        };

        void stored(Message message);

        void removed(TopicName topic);
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
            if (remove(message.topicName())) {
                changes.removed(message.topicName());
            }
            return;
        }
        place(message);
        changes.stored(message);
    }

    private void place(Message message) {
        TopicName topic = message.topicName();
        Node node = root;
        for (int i = 0; i < topic.levelCount(); i++) {
            node = node.children.computeIfAbsent(topic.level(i), l -> new Node());
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
    private boolean remove(TopicName topic) {
        int depth = topic.levelCount();
        Node[] path = new Node[depth + 1];
        path[0] = root;
        for (int i = 0; i < depth; i++) {
            path[i + 1] = path[i].children.get(topic.level(i));
            if (path[i + 1] == null) {
                return false;
            }
        }
        if (path[depth].message == null) {
            return false;
        }
        owners.disown(path[depth].message.origin());
        path[depth].message = null;
        count--;
        for (int i = depth; i > 0 && path[i].isEmpty(); i--) {
            path[i - 1].children.remove(topic.level(i - 1), path[i]);
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
    public synchronized boolean mayRetain(String origin, TopicName topic, int max) {
        if (owners.count(origin) < max) {
            return true;
        }
        Node node = root;
        for (int i = 0; i < topic.levelCount(); i++) {
            node = node.children.get(topic.level(i));
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
    public void forEachMatching(TopicFilter filter, Consumer<Message> consumer) {
        long now = System.currentTimeMillis();
        List<Message> expired = new ArrayList<>();
        visit(root, filter, 0, m -> {
            if (m.isExpired(now)) {
                expired.add(m);
            } else {
                consumer.accept(m);
            }
        });
        expired.forEach(this::removeIfCurrent);
    }

    /** The retained messages the filter matches, as {@link #forEachMatching}, but no more than {@code limit}. */
    public List<Message> matching(TopicFilter filter, int limit) {
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
        TopicName topic = message.topicName();
        Node node = root;
        for (int i = 0; i < topic.levelCount(); i++) {
            node = node.children.get(topic.level(i));
            if (node == null) {
                return;
            }
        }
        if (node.message == message && remove(topic)) {
            changes.removed(message.topicName());
        }
    }

    private static void visit(Node node, TopicFilter filter, int depth, Consumer<Message> consumer) {
        if (depth == filter.levelCount()) {
            Message m = node.message;
            if (m != null) {
                consumer.accept(m);
            }
            return;
        }
        String level = filter.level(depth);
        if (level.equals("#")) {
            // '#' also matches the parent level itself.
            Message m = node.message;
            if (m != null) {
                consumer.accept(m);
            }
            node.children.forEach((name, child) -> {
                if (TopicName.wildcardMatches(depth, name)) {
                    visitAll(child, consumer);
                }
            });
        } else if (level.equals("+")) {
            node.children.forEach((name, child) -> {
                if (TopicName.wildcardMatches(depth, name)) {
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
