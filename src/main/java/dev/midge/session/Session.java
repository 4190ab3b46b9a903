package dev.midge.session;

import dev.midge.routing.Message;
import dev.midge.routing.Subscriber;
import dev.midge.routing.TopicTree;
import dev.midge.stats.BrokerStats;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A client's session: subscriptions, QoS 1/2 state in both directions and the queue of messages waiting to be
 * sent. It outlives its connection when the client asked for a persistent session.
 *
 * <p>All state is touched on one event loop, the session's own: that of the connection attached to it, or
 * the last one while offline. Work arriving from other threads hops onto it. When a connection on another loop
 * takes the session over, the loop changes; tasks that land on the old loop afterwards follow it.
 *
 * <p>Overload: the backlog counts QoS 1/2 messages handed to this session and not yet written, including those
 * still hopping to its loop. While the client is online and the backlog is at {@code max-queued-messages},
 * the session is congested and its publishers pause (see {@link Subscriber#isCongested()}), so a slow
 * subscriber slows its publishers instead of losing messages. A publisher whose own session is congested is
 * not paused, because pausing it would also stop the acknowledgements that drain its session; that is the one
 * way past the mark, and twice the limit is the hard cap. An offline session never pauses anyone: it queues
 * up to the limit and drops beyond it, counted.
 */
public final class Session implements Subscriber {

    private final String clientId;
    private final boolean cleanSession;
    private final SessionLimits limits;
    private final TopicTree tree;
    private final BrokerStats stats;
    private final SessionRegistry registry;

    private volatile EventLoop loop;
    private SessionConnection connection;
    private volatile boolean online;
    private boolean ended;

    private final AtomicInteger backlog = new AtomicInteger();
    private final Queue<Runnable> decongestionWaiters = new ConcurrentLinkedQueue<>();

    private final Map<String, Integer> subscriptions = new HashMap<>();
    private final LinkedHashMap<Integer, Outbound> inflight = new LinkedHashMap<>();
    private final ArrayDeque<Outbound> queue = new ArrayDeque<>();
    private final Set<Integer> awaitingRelease = new HashSet<>();
    private int lastPacketId;

    Session(String clientId, boolean cleanSession, EventLoop loop, SessionLimits limits, TopicTree tree,
            BrokerStats stats, SessionRegistry registry) {
        this.clientId = clientId;
        this.cleanSession = cleanSession;
        this.loop = loop;
        this.limits = limits;
        this.tree = tree;
        this.stats = stats;
        this.registry = registry;
    }

    public String clientId() {
        return clientId;
    }

    public boolean cleanSession() {
        return cleanSession;
    }

    /** Runs the task on this session's loop: now if already there, else as a task that follows the session. */
    void execute(Runnable task) {
        EventLoop current = loop;
        if (current.inEventLoop()) {
            task.run();
        } else {
            current.execute(() -> execute(task));
        }
    }

    @Override
    public void deliver(Message message, int qos, boolean retain) {
        if (qos > 0) {
            backlog.incrementAndGet();
        }
        deliverOnLoop(message, qos, retain);
    }

    private void deliverOnLoop(Message message, int qos, boolean retain) {
        EventLoop current = loop;
        if (current.inEventLoop()) {
            deliverHere(message, qos, retain);
        } else {
            current.execute(() -> deliverOnLoop(message, qos, retain));
        }
    }

    @Override
    public boolean isCongested() {
        return online && backlog.get() >= limits.maxQueued();
    }

    @Override
    public void whenDecongested(Runnable callback) {
        decongestionWaiters.add(callback);
        if (!isCongested()) {
            wakeWaiters();
        }
    }

    private void wakeWaiters() {
        Runnable waiter;
        while ((waiter = decongestionWaiters.poll()) != null) {
            waiter.run();
        }
    }

    /** A QoS 1/2 message left the backlog: written, dropped or discarded. */
    private void leftBacklog() {
        // Wake paused publishers at half the mark, so they do not stop and start on every message.
        if (backlog.decrementAndGet() <= limits.maxQueued() / 2 && !decongestionWaiters.isEmpty()) {
            wakeWaiters();
        }
    }

    private void deliverHere(Message message, int qos, boolean retain) {
        if (qos == 0) {
            if (ended) {
                return;
            }
            if (connection == null) {
                stats.qos0Offline();
            } else if (!connection.isWritable()) {
                stats.notWritable();
            } else {
                connection.sendPublish(message, 0, retain, 0, false);
                stats.sent();
            }
            return;
        }
        if (ended) {
            leftBacklog();
            return;
        }
        Outbound outbound = new Outbound(message, qos, retain);
        int cap = connection == null ? limits.maxQueued() : 2 * limits.maxQueued();
        if (connection != null && queue.isEmpty() && inflight.size() < limits.maxInflight()) {
            send(outbound);
        } else if (queue.size() < cap) {
            queue.add(outbound);
            if (connection != null && isCongested()) {
                connection.sessionCongested();
            }
        } else {
            stats.queueFull();
            leftBacklog();
        }
    }

    private void send(Outbound outbound) {
        outbound.packetId = nextPacketId();
        inflight.put(outbound.packetId, outbound);
        connection.sendPublish(outbound.message, outbound.qos, outbound.retain, outbound.packetId, false);
        stats.sent();
        leftBacklog();
    }

    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId == 65_535 ? 1 : lastPacketId + 1;
        } while (inflight.containsKey(lastPacketId));
        return lastPacketId;
    }

    private void drainQueue() {
        while (connection != null && !queue.isEmpty() && inflight.size() < limits.maxInflight()) {
            send(queue.poll());
        }
    }

    /**
     * Attaches a connection, taking the session from any connection that holds it. The callback runs on the
     * connection's loop with true once attached (before anything is resent), or false when the session ended
     * meanwhile.
     */
    public void attach(SessionConnection newConnection, Consumer<Boolean> attached) {
        execute(() -> {
            if (ended) {
                newConnection.eventLoop().execute(() -> attached.accept(false));
                return;
            }
            if (connection != null && connection != newConnection) {
                connection.takenOver();
            }
            connection = null;
            online = false;
            EventLoop target = newConnection.eventLoop();
            if (loop != target) {
                loop = target;
                target.execute(() -> attach(newConnection, attached));
                return;
            }
            connection = newConnection;
            online = true;
            attached.accept(true);
            resend();
        });
    }

    /** Resends every unacknowledged message (PUBLISH with DUP, or PUBREL), then queued ones. */
    private void resend() {
        for (Outbound o : inflight.values()) {
            if (o.released) {
                connection.sendPubRel(o.packetId);
            } else {
                connection.sendPublish(o.message, o.qos, o.retain, o.packetId, true);
            }
        }
        drainQueue();
    }

    /** The connection is gone. A clean session ends with it; a persistent one waits for the client. */
    public void detach(SessionConnection oldConnection) {
        execute(() -> {
            if (connection != oldConnection) {
                return;
            }
            connection = null;
            online = false;
            wakeWaiters();
            if (cleanSession) {
                end();
            }
        });
    }

    /** Ends the session for good: its subscriptions and messages are dropped and its connection closed. */
    void end() {
        execute(() -> {
            if (ended) {
                return;
            }
            ended = true;
            subscriptions.keySet().forEach(filter -> tree.unsubscribe(filter, this));
            subscriptions.clear();
            inflight.clear();
            queue.forEach(o -> leftBacklog());
            queue.clear();
            awaitingRelease.clear();
            registry.removeIfCurrent(this);
            online = false;
            wakeWaiters();
            if (connection != null) {
                connection.takenOver();
                connection = null;
            }
        });
    }

    // The methods below are called by the attached connection, on the session's loop.

    /** Adds or replaces a subscription; true when it replaced one. */
    public boolean subscribe(String filter, int qos) {
        subscriptions.put(filter, qos);
        return tree.subscribe(filter, this, qos);
    }

    /** True when the session had a subscription to the filter. */
    public boolean unsubscribe(String filter) {
        return subscriptions.remove(filter) != null && tree.unsubscribe(filter, this);
    }

    /** Records an incoming QoS 2 packet id; false when it is a resend of one not yet released. */
    public boolean awaitRelease(int packetId) {
        return awaitingRelease.add(packetId);
    }

    public void released(int packetId) {
        awaitingRelease.remove(packetId);
    }

    public void onPubAck(int packetId) {
        Outbound o = inflight.get(packetId);
        if (o != null && o.qos == 1) {
            inflight.remove(packetId);
            drainQueue();
        }
    }

    public void onPubRec(int packetId) {
        Outbound o = inflight.get(packetId);
        if (o != null && o.qos == 2) {
            o.released = true;
        }
        connection.sendPubRel(packetId);
    }

    public void onPubComp(int packetId) {
        Outbound o = inflight.get(packetId);
        if (o != null && o.released) {
            inflight.remove(packetId);
            drainQueue();
        }
    }

    public int subscriptionCount() {
        return subscriptions.size();
    }

    public int inflightCount() {
        return inflight.size();
    }

    public int queuedCount() {
        return queue.size();
    }
}
