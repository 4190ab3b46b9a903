package dev.midge.cluster;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.routing.Subscriber;
import java.util.ArrayList;
import java.util.List;
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
 */
final class PeerLink implements Subscriber {

    private static final Logger LOG = Logger.getLogger(PeerLink.class);
    static final int BATCH = 256;
    static final int HIGH_WATER = 16_384;
    /** Batches sent and not yet acknowledged: the receiving node holds its acknowledgement while congested. */
    static final int WINDOW = 4;

    private final String nodeId;
    private final String localId;
    private final Semaphore window = new Semaphore(WINDOW);
    private final Consumer<byte[]> send;
    private final ClusterStats stats;
    private final BlockingQueue<Message> queue = new LinkedBlockingQueue<>();
    private final List<Runnable> waiting = new CopyOnWriteArrayList<>();
    private final Thread sender;
    private volatile boolean running = true;

    PeerLink(String nodeId, String localId, Consumer<byte[]> send, ClusterStats stats) {
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
        queue.clear();
        wakeWaiters();
    }

    String nodeId() {
        return nodeId;
    }

    /** The node has delivered one more batch: one more may go. */
    void acknowledged() {
        window.release();
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
        send(message);
    }

    void send(Message message) {
        if (running) {
            queue.add(message);
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

    private void sendLoop() {
        List<Message> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                if (!window.tryAcquire(1, TimeUnit.SECONDS)) {
                    continue;
                }
                Message first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    window.release();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                byte[] bytes = MessageBatchCodec.encode(localId, batch);
                send.accept(bytes);
                stats.forwarded(batch.size(), bytes.length);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                window.release();
                if (running) {
                    LOG.warnf(e, "Forwarding %d messages to node %s failed", batch.size(), nodeId);
                }
            } finally {
                batch.clear();
            }
            if (!waiting.isEmpty() && queue.size() < HIGH_WATER / 2) {
                wakeWaiters();
            }
        }
    }
}
