package dev.midge.session;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import dev.midge.persistence.BrokerStore;
import dev.midge.persistence.Recovered;
import dev.midge.routing.Router;
import dev.midge.routing.Subscriber;
import dev.midge.security.Authorizer;
import dev.midge.security.ClientIdentity;
import dev.midge.stats.BrokerStats;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A client's session: subscriptions, QoS 1/2 state in both directions, the queue of messages waiting to be
 * sent, a will waiting out its delay, and the session's own expiry. It outlives its connection unless its
 * expiry interval is 0 (MQTT 3's clean session).
 *
 * <p>All state is touched on one event loop, the session's own: that of the connection attached to it, or
 * the last one while offline. Work arriving from other threads hops onto it. When a connection on another loop
 * takes the session over, the loop changes; tasks that land on the old loop afterwards follow it.
 *
 * <p>Overload: the backlog counts messages handed to this session and not yet written, including those still
 * hopping to its loop. QoS 0 messages go straight out while the socket takes them and nothing is queued, and
 * are queued otherwise. While the client is online and the backlog is at {@code max-queued-messages},
 * the session is congested and its publishers pause (see {@link Subscriber#isCongested()}), so a slow
 * subscriber slows its publishers instead of losing messages. A publisher whose own session is congested is
 * not paused, because pausing it would also stop the acknowledgements that drain its session; that is the one
 * way past the mark, and twice the limit is the hard cap. An offline session never pauses anyone: it queues
 * up to the limit and drops beyond it, counted.
 *
 * <p>Persistence: a session that outlives its connection (expiry interval above 0) is durable while the store
 * is enabled. Every change to what a restart must bring back (subscriptions, queued and in-flight messages,
 * QoS 2 ids awaiting release, a delayed will, the session itself) is handed to the store as it happens.
 */
public final class Session implements Subscriber {

    /** Session Expiry Interval meaning "never expires" (MQTT 5's 0xFFFFFFFF; MQTT 3's persistent session). */
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    /** Starting capacity of the queues, which are empty for most sessions most of the time, and grow as needed. */
    private static final int SMALL = 2;

    private final String clientId;
    private final SessionLimits limits;
    private final Router router;
    private final BrokerStats stats;
    private final SessionRegistry registry;
    private final BrokerStore store;

    private volatile EventLoop loop;
    /** Whether the store keeps this session; read by publishers on other threads when queuing for it. */
    private volatile boolean durable;
    /** Who last connected to this session, and through which listener: what it may receive is checked so. */
    private volatile Reader reader;
    private SessionConnection connection;
    private Instant connectedSince;
    private volatile boolean online;
    private boolean ended;
    private long expiryInterval;
    /**
     * True when the session ends with the connection that holds it, or is about to (expiry interval 0). Set
     * when a CONNECT claims the session, in {@link SessionRegistry#open}, not when the old connection's close
     * is processed, which may be later and on another loop: a reconnect that overtakes that close must still
     * never resume the session.
     */
    private volatile boolean endsWithConnection;
    private ScheduledFuture<?> expiryTask;
    private Message pendingWill;
    private ScheduledFuture<?> willTask;
    private int window;

    private final AtomicInteger backlog = new AtomicInteger();
    /** The in-flight table's size, for the meters, which read it from other threads. */
    private volatile int inflightCount;
    private final Queue<Runnable> decongestionWaiters = new ConcurrentLinkedQueue<>();

    private final Map<String, SubscriptionOptions> subscriptions = new HashMap<>();
    private final LinkedHashMap<Integer, Outbound> inflight = new LinkedHashMap<>();
    private final ArrayDeque<Outbound> queue = new ArrayDeque<>(SMALL);
    /** In-flight messages not yet resent on the current connection, held back by its Receive Maximum. */
    private final ArrayDeque<Outbound> resendLater = new ArrayDeque<>(SMALL);
    private final Set<Integer> awaitingRelease = new HashSet<>();
    /** Retained messages of new subscriptions still to be sent, fed in as the backlog drains. */
    private final ArrayDeque<RetainedFeed> retainedFeeds = new ArrayDeque<>(SMALL);
    private boolean feeding;
    private int lastPacketId;

    Session(String clientId, long expiryInterval, EventLoop loop, SessionLimits limits, Router router,
            BrokerStats stats, SessionRegistry registry, Authorizer authorizer, BrokerStore store) {
        this.clientId = clientId;
        this.store = store;
        // midge.auth's authorizer until a connection attaches (a session restored at start-up, say).
        this.reader = new Reader(new ClientIdentity(clientId, null), authorizer);
        this.expiryInterval = expiryInterval;
        this.endsWithConnection = expiryInterval == 0;
        this.loop = loop;
        this.limits = limits;
        this.router = router;
        this.stats = stats;
        this.registry = registry;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    /** The user name the last attached connection logged in with, or null (none yet, or no login). */
    public String username() {
        return reader.identity().username();
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
    public void deliver(Message message, Delivery delivery) {
        Reader current = reader;
        Authorizer authorizer = current.authorizer();
        if (authorizer.isRestrictive() && !authorizer.canReceive(current.identity(), message.topic())) {
            return;
        }
        long storeId = 0;
        // Counted here, on the publisher's thread, so that the router sees the congestion it causes at once.
        backlog.incrementAndGet();
        if (delivery.qos() > 0 && durable) {
            // Stored here too, so that its acknowledgement can wait for the write.
            storeId = store.newOutboundId();
            store.addOutbound(storeId, clientId, message, delivery);
        }
        deliverOnLoop(message, delivery, storeId);
    }

    private void deliverOnLoop(Message message, Delivery delivery, long storeId) {
        EventLoop current = loop;
        if (current.inEventLoop()) {
            deliverHere(message, delivery, storeId);
        } else {
            current.execute(() -> deliverOnLoop(message, delivery, storeId));
        }
    }

    @Override
    public boolean isOnline() {
        return online;
    }

    /** Messages handed to this session and not yet sent. Any thread. */
    public int queuedCount() {
        return backlog.get();
    }

    /** QoS 1/2 messages sent and not yet acknowledged. Any thread. */
    public int inflightCount() {
        return inflightCount;
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

    /**
     * Runs the waiters there are now, not those added meanwhile: a publisher on another loop that resumes,
     * publishes and waits again must not keep this loop here, unable to drain what it is sent.
     */
    private void wakeWaiters() {
        for (int n = decongestionWaiters.size(); n > 0; n--) {
            Runnable waiter = decongestionWaiters.poll();
            if (waiter == null) {
                return;
            }
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

    private void deliverHere(Message message, Delivery delivery, long storeId) {
        if (delivery.qos() == 0) {
            deliverQos0(message, delivery);
        } else {
            deliverQos12(message, delivery, storeId);
        }
        // A message sent straight through may have brought the backlog below the feed's mark.
        feedRetained();
    }

    private void deliverQos12(Message message, Delivery delivery, long storeId) {
        Outbound outbound = new Outbound(message, delivery, storeId);
        if (!durable) {
            // Stored while the session was durable, but it has stopped being so (or ended) since.
            forget(outbound);
        }
        if (ended) {
            leftBacklog();
            return;
        }
        int cap = connection == null ? limits.maxQueued() : 2 * limits.maxQueued();
        if (connection != null && queue.isEmpty() && inflight.size() < window) {
            send(outbound);
        } else if (queue.size() < cap) {
            queue.add(outbound);
            if (connection != null && isCongested()) {
                connection.sessionCongested();
            }
        } else {
            stats.queueFull();
            forget(outbound);
            leftBacklog();
        }
    }

    /**
     * Straight to the socket while it takes more and nothing waits before it; otherwise queued behind the rest,
     * so that a busy subscriber slows its publishers as for QoS 1/2. Not kept for an offline session.
     */
    private void deliverQos0(Message message, Delivery delivery) {
        if (ended) {
            leftBacklog();
        } else if (connection == null) {
            stats.qos0Offline();
            leftBacklog();
        } else if (queue.isEmpty() && connection.isWritable()) {
            leftBacklog();
            sendQos0(message, delivery);
        } else if (queue.size() < 2 * limits.maxQueued()) {
            queue.add(new Outbound(message, delivery, 0));
            if (isCongested()) {
                connection.sessionCongested();
            }
        } else {
            stats.notWritable();
            leftBacklog();
        }
    }

    private void sendQos0(Message message, Delivery delivery) {
        if (message.isExpired(System.currentTimeMillis())) {
            stats.expired();
        } else if (connection.sendPublish(message, delivery, 0, false)) {
            stats.sent(0);
        }
    }

    private void send(Outbound outbound) {
        leftBacklog();
        if (outbound.delivery.qos() == 0) {
            sendQos0(outbound.message, outbound.delivery);
            return;
        }
        if (outbound.message.isExpired(System.currentTimeMillis())) {
            stats.expired();
            forget(outbound);
            return;
        }
        outbound.packetId = nextPacketId();
        if (connection.sendPublish(outbound.message, outbound.delivery, outbound.packetId, false)) {
            inflight.put(outbound.packetId, outbound);
            inflightCount = inflight.size();
            stats.sent(outbound.delivery.qos());
            if (outbound.storeId != 0) {
                store.updateOutbound(outbound.storeId, outbound.packetId, false);
            }
        } else {
            forget(outbound);
        }
    }

    /** The message's delivery is over (or no longer durable): its stored entry goes. */
    private void forget(Outbound outbound) {
        if (outbound.storeId != 0) {
            store.removeOutbound(outbound.storeId);
            outbound.storeId = 0;
        }
    }

    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId == 65_535 ? 1 : lastPacketId + 1;
        } while (inflight.containsKey(lastPacketId));
        return lastPacketId;
    }

    /** Fills the window: first what waits to be resent on this connection, then queued messages. */
    private void drainQueue() {
        while (connection != null && !resendLater.isEmpty() && inflight.size() - resendLater.size() < window) {
            Outbound o = resendLater.poll();
            if (inflight.get(o.packetId) == o) {
                resend(o);
                if (o.discarded) {
                    inflight.remove(o.packetId);
                    inflightCount = inflight.size();
                    forget(o);
                }
            }
        }
        while (connection != null && !queue.isEmpty()) {
            boolean ready = queue.peek().delivery.qos() == 0 ? connection.isWritable() : inflight.size() < window;
            if (!ready) {
                return;
            }
            send(queue.poll());
        }
        feedRetained();
    }

    /** Queues the retained messages of a new subscription, to be sent as the backlog drains. */
    public void feedRetained(RetainedFeed feed) {
        if (feed.hasNext()) {
            retainedFeeds.add(feed);
            feedRetained();
        }
    }

    /**
     * Hands retained messages to the session while the client is online, its socket takes more and the backlog
     * is below half the queue limit, so that they never fill the queue to where messages are dropped.
     */
    private void feedRetained() {
        if (feeding) {
            return;
        }
        feeding = true;
        try {
            int mark = Math.max(1, limits.maxQueued() / 2);
            while (!retainedFeeds.isEmpty() && connection != null && connection.isWritable()
                    && backlog.get() < mark) {
                RetainedFeed feed = retainedFeeds.peek();
                if (feed.hasNext()) {
                    Message message = feed.next();
                    deliver(message, feed.deliveryFor(message));
                } else {
                    retainedFeeds.poll();
                }
            }
        } finally {
            feeding = false;
        }
    }

    @Override
    public void congestedTooLong() {
        execute(() -> {
            if (connection != null && isCongested()) {
                connection.tooSlow();
            }
        });
    }

    /** The attached connection's socket takes more again: queued QoS 0 messages may go. */
    public void writable(SessionConnection from) {
        if (connection == from) {
            drainQueue();
        }
    }

    /**
     * Attaches a connection, taking the session from any connection that holds it; a pending will and the
     * expiry timer are cancelled. From then on, what the session may receive is checked with the authorizer
     * of the connection's listener. The callback runs on the connection's loop with true once attached (before
     * anything is resent), or false when the session ended meanwhile.
     */
    public void attach(SessionConnection newConnection, ClientIdentity newIdentity, Authorizer newAuthorizer,
            long newExpiryInterval, Consumer<Boolean> attached) {
        execute(() -> {
            if (ended) {
                newConnection.eventLoop().execute(() -> attached.accept(false));
                return;
            }
            if (connection != null && connection != newConnection) {
                connection.takenOver();
            }
            connection = null;
            connectedSince = null;
            online = false;
            cancelTimers();
            EventLoop target = newConnection.eventLoop();
            if (loop != target) {
                loop = target;
                target.execute(() -> attach(newConnection, newIdentity, newAuthorizer, newExpiryInterval, attached));
                return;
            }
            connection = newConnection;
            reader = new Reader(newIdentity, newAuthorizer);
            connectedSince = Instant.now();
            online = true;
            expiryInterval = newExpiryInterval;
            persist(0);
            window = Math.min(limits.maxInflight(), newConnection.receiveMaximum());
            attached.accept(true);
            resend();
        });
    }

    private void cancelTimers() {
        if (expiryTask != null) {
            expiryTask.cancel(false);
            expiryTask = null;
        }
        if (willTask != null) {
            willTask.cancel(false);
            willTask = null;
        }
        if (pendingWill != null && durable) {
            store.removeWill(clientId);
        }
        pendingWill = null;
    }

    /**
     * Brings the store in line with the expiry interval: a session that outlives its connection is written
     * (all of it, when it has just become durable), one that does not is removed.
     *
     * @param disconnectedAt wall-clock millisecond the client went away, or 0 while connected
     */
    private void persist(long disconnectedAt) {
        boolean wanted = store.isEnabled() && expiryInterval > 0 && !ended;
        if (wanted) {
            store.putSession(clientId, expiryInterval, disconnectedAt);
            if (!durable) {
                durable = true;
                storeEverything();
            }
        } else if (durable) {
            durable = false;
            store.removeSession(clientId);
            inflight.values().forEach(this::forget);
            queue.forEach(this::forget);
        }
    }

    /** A session that has just become durable: what it already holds is stored too. */
    private void storeEverything() {
        subscriptions.forEach((filter, options) -> store.putSubscription(clientId, filter, options));
        awaitingRelease.forEach(id -> store.addAwaitingRelease(clientId, id));
        for (Outbound o : inflight.values()) {
            storeOutbound(o);
            store.updateOutbound(o.storeId, o.packetId, o.released);
        }
        queue.forEach(this::storeOutbound);
    }

    private void storeOutbound(Outbound o) {
        if (o.delivery.qos() == 0) {
            return;
        }
        o.storeId = store.newOutboundId();
        store.addOutbound(o.storeId, clientId, o.message, o.delivery);
    }

    /** Resends every unacknowledged message (PUBLISH with DUP, or PUBREL), then queued ones. */
    private void resend() {
        resendLater.clear();
        int sent = 0;
        for (Outbound o : inflight.values()) {
            if (sent < window) {
                sent++;
                resend(o);
            } else {
                resendLater.add(o);
            }
        }
        inflight.values().removeIf(o -> {
            if (o.discarded) {
                forget(o);
            }
            return o.discarded;
        });
        inflightCount = inflight.size();
        drainQueue();
    }

    /** PUBLISH with DUP set, or PUBREL for a QoS 2 message already received. */
    private void resend(Outbound o) {
        if (o.released) {
            connection.sendPubRel(o.packetId);
        } else if (!connection.sendPublish(o.message, o.delivery, o.packetId, true)) {
            o.discarded = true;
        }
    }

    /**
     * Puts back a session read from the store: offline, with its subscriptions, its queued and in-flight
     * messages (resent with DUP on reconnect, under the packet ids they had), its QoS 2 ids awaiting release,
     * its delayed will and its expiry, both counted from when its client went away. Runs at start-up, before
     * any client connects, so nothing else touches the session yet.
     */
    void restore(Recovered.StoredSession stored) {
        long now = System.currentTimeMillis();
        durable = true;
        stored.subscriptions().forEach((filter, options) -> {
            subscriptions.put(filter, options);
            router.subscriptions().subscribe(filter, this, options);
        });
        for (Recovered.StoredOutbound o : stored.outbound()) {
            Outbound outbound = new Outbound(o.message(), o.delivery(), o.id());
            if (o.packetId() != 0 && !inflight.containsKey(o.packetId())) {
                outbound.packetId = o.packetId();
                outbound.released = o.released();
                inflight.put(o.packetId(), outbound);
                inflightCount = inflight.size();
                lastPacketId = Math.max(lastPacketId, o.packetId());
            } else {
                queue.add(outbound);
                backlog.incrementAndGet();
            }
        }
        awaitingRelease.addAll(stored.awaitingRelease());
        long disconnectedAt = stored.disconnectedAt() == 0 ? now : stored.disconnectedAt();
        if (stored.disconnectedAt() == 0) {
            // Connected when the broker stopped: the client went away now, as far as expiry is concerned.
            store.putSession(clientId, expiryInterval, disconnectedAt);
        }
        if (stored.will() != null) {
            pendingWill = stored.will().message();
            willTask = loop.schedule(this::publishPendingWill, Math.max(0, stored.will().publishAt() - now),
                    TimeUnit.MILLISECONDS);
        }
        if (expiryInterval != NEVER_EXPIRES) {
            long left = TimeUnit.SECONDS.toMillis(expiryInterval) - (now - disconnectedAt);
            expiryTask = loop.schedule(this::end, Math.max(0, left), TimeUnit.MILLISECONDS);
        }
    }

    /** Sets the Session Expiry Interval, as a DISCONNECT may. */
    public void expiryInterval(long seconds) {
        expiryInterval = seconds;
        if (seconds == 0) {
            endsWithConnection = true;
        }
    }

    /** False once the session ends with its connection (or has ended): a CONNECT then gets a new one. Any thread. */
    boolean isResumable() {
        return !endsWithConnection;
    }

    /**
     * A CONNECT resumes this session with its own expiry interval; called by the registry while it holds the
     * client id's entry, so that the next CONNECT sees whether this one's session ends with its connection.
     */
    void claim(long newExpiryInterval) {
        endsWithConnection = newExpiryInterval == 0;
    }

    /**
     * The connection is gone. Its will (null if none, or after a normal DISCONNECT) is published now, or
     * after its delay unless the client comes back first, or when the session ends, whichever is first. The
     * session ends now if its expiry interval is 0, or when it expires.
     */
    public void detach(SessionConnection oldConnection, Message will, long willDelaySeconds) {
        execute(() -> {
            if (connection != oldConnection) {
                // Taken over: a resumed session cancels a delayed will; an ended one publishes it.
                if (will != null && (willDelaySeconds == 0 || ended)) {
                    router.publish(will);
                }
                return;
            }
            connection = null;
            connectedSince = null;
            online = false;
            dropQueuedQos0();
            wakeWaiters();
            long now = System.currentTimeMillis();
            if (will != null) {
                if (willDelaySeconds == 0 || expiryInterval == 0) {
                    router.publish(will);
                } else {
                    pendingWill = will;
                    willTask = loop.schedule(this::publishPendingWill, willDelaySeconds, TimeUnit.SECONDS);
                }
            }
            persist(now);
            if (pendingWill != null && durable) {
                store.putWill(clientId, pendingWill, now + TimeUnit.SECONDS.toMillis(willDelaySeconds));
            }
            if (expiryInterval == 0) {
                end();
            } else if (expiryInterval != NEVER_EXPIRES) {
                expiryTask = loop.schedule(this::end, expiryInterval, TimeUnit.SECONDS);
            }
        });
    }

    /** QoS 0 messages are not kept for an offline client, as none arriving while it is away are. */
    private void dropQueuedQos0() {
        queue.removeIf(o -> {
            if (o.delivery.qos() > 0) {
                return false;
            }
            stats.qos0Offline();
            leftBacklog();
            return true;
        });
    }

    private void publishPendingWill() {
        Message will = pendingWill;
        pendingWill = null;
        willTask = null;
        if (will != null) {
            if (durable) {
                store.removeWill(clientId);
            }
            router.publish(will);
        }
    }

    /**
     * Ends the session for good: its subscriptions go, a pending will is published, messages that came
     * through a shared subscription go to another member, the rest are dropped, and its connection closes.
     */
    void end() {
        execute(() -> {
            if (ended) {
                return;
            }
            ended = true;
            endsWithConnection = true;
            retainedFeeds.clear();
            if (durable) {
                durable = false;
                store.removeSession(clientId);
                inflight.values().forEach(this::forget);
                queue.forEach(this::forget);
            }
            subscriptions.keySet().forEach(filter -> router.subscriptions().unsubscribe(filter, this));
            subscriptions.clear();
            if (expiryTask != null) {
                expiryTask.cancel(false);
            }
            if (willTask != null) {
                willTask.cancel(false);
            }
            publishPendingWill();
            inflight.values().forEach(this::handOverShared);
            inflight.clear();
            inflightCount = inflight.size();
            queue.forEach(o -> {
                leftBacklog();
                handOverShared(o);
            });
            queue.clear();
            awaitingRelease.clear();
            registry.removeIfCurrent(this);
            online = false;
            wakeWaiters();
            if (connection != null) {
                connection.takenOver();
                connection = null;
                connectedSince = null;
            }
        });
    }

    private void handOverShared(Outbound o) {
        if (o.delivery.sharedFilter() != null && !o.released) {
            router.subscriptions().deliverToShared(o.delivery.sharedFilter(), o.message, this);
        }
    }

    // The methods below are called by the attached connection, on the session's loop.

    /** Adds or replaces a subscription; true when it replaced one. */
    public boolean subscribe(String filter, SubscriptionOptions options) {
        subscriptions.put(filter, options);
        if (durable) {
            store.putSubscription(clientId, filter, options);
        }
        return router.subscriptions().subscribe(filter, this, options);
    }

    public boolean hasSubscription(String filter) {
        return subscriptions.containsKey(filter);
    }

    public int subscriptionCount() {
        return subscriptions.size();
    }

    /** True when the session had a subscription to the filter. */
    public boolean unsubscribe(String filter) {
        if (subscriptions.remove(filter) == null) {
            return false;
        }
        if (durable) {
            store.removeSubscription(clientId, filter);
        }
        return router.subscriptions().unsubscribe(filter, this);
    }

    /** Records an incoming QoS 2 packet id; false when it is a resend of one not yet released. */
    public boolean awaitRelease(int packetId) {
        if (!awaitingRelease.add(packetId)) {
            return false;
        }
        if (durable) {
            store.addAwaitingRelease(clientId, packetId);
        }
        return true;
    }

    public boolean isAwaitingRelease(int packetId) {
        return awaitingRelease.contains(packetId);
    }

    /** Incoming QoS 2 messages received and not yet released: what counts against the server's Receive Maximum. */
    public int awaitingReleaseCount() {
        return awaitingRelease.size();
    }

    /** Forgets an incoming QoS 2 packet id; false when it was not awaiting release. */
    public boolean released(int packetId) {
        if (!awaitingRelease.remove(packetId)) {
            return false;
        }
        if (durable) {
            store.removeAwaitingRelease(clientId, packetId);
        }
        return true;
    }

    /** A PUBACK; false when no QoS 1 message was in flight with that id. */
    public boolean onPubAck(int packetId) {
        Outbound o = inflight.get(packetId);
        if (o == null || o.delivery.qos() != 1) {
            return false;
        }
        inflight.remove(packetId);
        inflightCount = inflight.size();
        forget(o);
        drainQueue();
        return true;
    }

    /** A PUBREC; false when no QoS 2 message was in flight with that id. PUBREL is sent either way. */
    public boolean onPubRec(int packetId) {
        Outbound o = inflight.get(packetId);
        boolean known = o != null && o.delivery.qos() == 2;
        if (known && !o.released) {
            o.released = true;
            if (o.storeId != 0) {
                store.updateOutbound(o.storeId, packetId, true);
            }
        }
        connection.sendPubRel(packetId);
        return known;
    }

    /** A PUBREC with an error reason code: the receiver refused the message, which ends its delivery. */
    public void onPubRecRefused(int packetId) {
        Outbound o = inflight.remove(packetId);
        inflightCount = inflight.size();
        if (o != null) {
            forget(o);
            drainQueue();
        }
    }

    /** A PUBCOMP; false when no released QoS 2 message was in flight with that id. */
    public boolean onPubComp(int packetId) {
        Outbound o = inflight.get(packetId);
        if (o == null || !o.released) {
            return false;
        }
        inflight.remove(packetId);
        inflightCount = inflight.size();
        forget(o);
        drainQueue();
        return true;
    }

    /**
     * A snapshot of this session for operators, taken on its loop (its state is confined there) and completed
     * from it. Fails if the loop no longer takes tasks.
     */
    public CompletionStage<SessionInfo> describe() {
        CompletableFuture<SessionInfo> result = new CompletableFuture<>();
        try {
            execute(() -> result.complete(new SessionInfo(clientId, connection != null,
                    connection == null ? null : connection.protocol(),
                    connection == null ? null : address(connection.remoteAddress()),
                    connectedSince, expiryInterval, subscriptions.size(), queue.size(), inflight.size())));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private static String address(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getHostString() + ":" + inet.getPort()
                : String.valueOf(address);
    }

    /** Closes the attached connection, if any, on an operator's request; the session lives on as after any close. */
    public void disconnect() {
        execute(() -> {
            if (connection != null) {
                connection.closeByAdministrator();
            }
        });
    }

    /** One field, so that a delivery never pairs one connection's identity with another's authorizer. */
    private record Reader(ClientIdentity identity, Authorizer authorizer) {
    }
}
