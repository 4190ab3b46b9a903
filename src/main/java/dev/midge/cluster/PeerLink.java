package dev.midge.cluster;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.routing.Subscriber;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The ordered channel to one other node. Messages for it wait in one queue and one thread sends them, up to
 * {@link #BATCH} in one send, so messages keep the order they were published in on this node. In the remote
 * routes it stands for the whole node: a message that matches several of the node's subscriptions is
 * forwarded once, and the node fans it out. A queue past {@link #HIGH_WATER} makes it congested, which pauses
 * the publishers feeding it, as a slow local subscriber does. At most {@link #WINDOW} batches are on their
 * way at once: the receiving node acknowledges a batch only when the subscribers it went to are not congested,
 * so a slow subscriber on another node pauses this node's publishers too.
 *
 * <p>Under {@code sync=always}, the receiving node acknowledges a batch only once the cluster's copy holds what
 * the batch changed in its durable sessions, and a QoS 1/2 publisher here is acknowledged only once the batches
 * carrying its message were: {@code waitFor} hands the publisher's thread a future per such message.
 */
final class PeerLink implements Subscriber {

    private static final Logger LOG = Logger.getLogger(PeerLink.class);
    static final int BATCH = 256;
    static final int HIGH_WATER = 16_384;
    /** Batches sent and not yet acknowledged: the receiving node holds its acknowledgement while congested. */
    static final int WINDOW = 4;
    private static final IllegalStateException NODE_LEFT = new IllegalStateException("the node left the cluster");

    private final String nodeId;
    private final String localId;
    private final Semaphore window = new Semaphore(WINDOW);
    private final Consumer<byte[]> send;
    private final ClusterStats stats;
    private final BlockingQueue<Forward> queue = new LinkedBlockingQueue<>();
    private final Consumer<CompletableFuture<?>> waitFor;
    /** Futures of the messages of each batch sent and not yet acknowledged, by the batch's sequence number. */
    private final Map<Long, List<CompletableFuture<Void>>> unconfirmed = new ConcurrentHashMap<>();
    private long sequence;
    private final List<Runnable> waiting = new CopyOnWriteArrayList<>();
    private final Thread sender;
    private volatile boolean running = true;

    /** A message queued for the node, and what completes once the node confirmed it (null: nothing waits). */
    private record Forward(MessageBatchCodec.Forwarded forwarded, CompletableFuture<Void> confirmed) {
    }

    PeerLink(String nodeId, String localId, Consumer<byte[]> send, ClusterStats stats) {
        this(nodeId, localId, send, stats, null);
    }

    /** @param waitFor takes, on the publisher's thread, the future of each QoS 1/2 message; null: none waits */
    PeerLink(String nodeId, String localId, Consumer<byte[]> send, ClusterStats stats,
            Consumer<CompletableFuture<?>> waitFor) {
        this.waitFor = waitFor;
        this.nodeId = nodeId;
        this.localId = localId;
        this.send = send;
        this.stats = stats;
        this.sender = new Thread(this::sendLoop, "midge-cluster-link-" + nodeId.substring(0, 8));
        sender.setDaemon(true);
    }

    void start() {
        sender.start();
    }

    /** Stops sending; what is still queued is dropped, as the node is gone. */
    void stop() {
        running = false;
        window.release(WINDOW);
        sender.interrupt();
        // The node is gone before it confirmed these: their publishers must not be acknowledged.
        unconfirmed.values().forEach(PeerLink::notConfirmed);
        unconfirmed.clear();
        for (Forward left; (left = queue.poll()) != null;) {
            if (left.confirmed() != null) {
                left.confirmed().completeExceptionally(NODE_LEFT);
            }
        }
        wakeWaiters();
    }

    String nodeId() {
        return nodeId;
    }

    /** The node has delivered the batch with this sequence number: one more may go. */
    void acknowledged(long batch) {
        acknowledged(batch, false);
    }

    /** The node is done with the batch, having kept all of it, or (refused) not: one more may go. */
    void acknowledged(long batch, boolean refused) {
        window.release();
        List<CompletableFuture<Void>> confirmed = unconfirmed.remove(batch);
        if (confirmed != null && refused) {
            notConfirmed(confirmed);
        } else if (confirmed != null) {
            confirmed.forEach(f -> f.complete(null));
        }
    }

    int queued() {
        return queue.size();
    }

    @Override
    public String clientId() {
        // Never a client's id, so No Local never excludes a node (the receiving node applies it).
        return "\u0000node:" + nodeId;
    }

    @Override
    public void deliver(Message message, Delivery delivery) {
        send(message, List.of());
    }

    /** Queues the message for the node, which serves the shared groups named ({@code $share/g/f}) with it. */
    void send(Message message, List<String> groups) {
        send(new MessageBatchCodec.Forwarded(message, groups));
    }

    /** Queues the message for the node, which delivers it to the sessions the target names ({@link Targets}). */
    void sendFor(Message message, String target) {
        send(new MessageBatchCodec.Forwarded(message, List.of(), target));
    }

    private void send(MessageBatchCodec.Forwarded forwarded) {
        CompletableFuture<Void> confirmed = null;
        if (waitFor != null && forwarded.message().qos() > 0) {
            confirmed = new CompletableFuture<>();
            waitFor.accept(confirmed);
        }
        if (!running) {
            // Routed here just as the node left: its publisher must not be acknowledged.
            if (confirmed != null) {
                confirmed.completeExceptionally(NODE_LEFT);
            }
            return;
        }
        Forward forward = new Forward(forwarded, confirmed);
        queue.add(forward);
        if (!running && queue.remove(forward) && confirmed != null) {
            // stop() drained the queue before this one came in.
            confirmed.completeExceptionally(NODE_LEFT);
        }
    }

    @Override
    public boolean isOnline() {
        return running;
    }

    @Override
    public boolean isCongested() {
        return queue.size() >= HIGH_WATER;
    }

    @Override
    public void whenDecongested(Runnable callback) {
        waiting.add(callback);
        if (!isCongested()) {
            wakeWaiters();
        }
    }

    private void wakeWaiters() {
        for (Runnable callback : waiting) {
            if (waiting.remove(callback)) {
                callback.run();
            }
        }
    }

    private static void notConfirmed(List<CompletableFuture<Void>> futures) {
        futures.forEach(f -> f.completeExceptionally(NODE_LEFT));
    }

    private static List<CompletableFuture<Void>> confirmationsOf(List<Forward> batch) {
        List<CompletableFuture<Void>> waiting = null;
        for (Forward forward : batch) {
            if (forward.confirmed() != null) {
                if (waiting == null) {
                    waiting = new ArrayList<>();
                }
                waiting.add(forward.confirmed());
            }
        }
        return waiting;
    }

    private void sendLoop() {
        List<Forward> batch = new ArrayList<>(BATCH);
        List<MessageBatchCodec.Forwarded> messages = new ArrayList<>(BATCH);
        while (running) {
            long number = 0;
            try {
                if (!window.tryAcquire(1, TimeUnit.SECONDS)) {
                    continue;
                }
                Forward first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    window.release();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                batch.forEach(forward -> messages.add(forward.forwarded()));
                number = ++sequence;
                byte[] bytes = MessageBatchCodec.encode(localId, number, messages);
                List<CompletableFuture<Void>> waiting = confirmationsOf(batch);
                if (waiting != null) {
                    unconfirmed.put(number, waiting);
                }
                send.accept(bytes);
                stats.forwarded(batch.size(), bytes.length);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                window.release();
                List<CompletableFuture<Void>> lost = unconfirmed.remove(number);
                if (lost != null) {
                    notConfirmed(lost);
                }
                if (running) {
                    LOG.warnf(e, "Forwarding %d messages to node %s failed", batch.size(), nodeId);
                }
            } finally {
                batch.clear();
                messages.clear();
            }
            if (!waiting.isEmpty() && queue.size() < HIGH_WATER / 2) {
                wakeWaiters();
            }
        }
    }
}
