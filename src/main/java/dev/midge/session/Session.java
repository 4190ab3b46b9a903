package dev.midge.session;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import dev.midge.persistence.Recovered;
import dev.midge.routing.Router;
import dev.midge.routing.Subscriber;
import dev.midge.security.Authorizer;
import dev.midge.security.ClientIdentity;
import dev.midge.stats.BrokerStats;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A client's session, as any thread may hold it: what it does hops onto the session's own event loop, where
 * its {@link SessionLoop} keeps subscriptions, QoS 1/2 state in both directions, the queue of messages waiting
 * to be sent, a will waiting out its delay, and the session's own expiry. It outlives its connection unless its
 * expiry interval is 0 (MQTT 3's clean session).
 *
 * <p>The session's loop is that of the connection attached to it, or the last one while offline. When a
 * connection on another loop takes the session over, the loop changes; tasks that land on the old loop
 * afterwards follow it. The attached connection gets the {@link SessionLoop} when the attach completes.
 *
 * <p>Overload: the backlog counts messages handed to this session and not yet written, including those still
 * hopping to its loop. QoS 0 messages go straight out while the socket takes them and nothing is queued, and
 * are queued otherwise. The bytes of every message held, queued or in flight, count towards the broker-wide
 * {@code midge.limits.memory-high} ({@link dev.midge.limits.MemoryWatermark}). While the client is online and the backlog is at {@code max-queued-messages},
 * the session is congested and its publishers pause (see {@link Subscriber#isCongested()}), so a slow
 * subscriber slows its publishers instead of losing messages. A publisher whose own session is congested is
 * not paused, because pausing it would also stop the acknowledgements that drain its session; that is the one
 * way past the mark, and twice the limit is the hard cap. An offline session never pauses anyone: it queues
 * up to the limit and drops beyond it, counted.
 *
 * <p>Persistence: a session that outlives its connection (expiry interval above 0) is durable while the store
 * is enabled. Every change to what a restart must bring back goes through its {@link SessionJournal}.
 */
public final class Session implements Subscriber {

    /** Session Expiry Interval meaning "never expires" (MQTT 5's 0xFFFFFFFF; MQTT 3's persistent session). */
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    private final String clientId;
    private final SessionLimits limits;
    private final SessionJournal journal;
    private final SessionLoop confined;

    private volatile EventLoop loop;
    /** Who last connected to this session, and through which listener: what it may receive is checked so. */
    private volatile Reader reader;
    private volatile boolean online;
    /**
     * True when the session ends with the connection that holds it, or is about to (expiry interval 0). Set
     * when a CONNECT claims the session, in {@link SessionRegistry#open}, not when the old connection's close
     * is processed, which may be later and on another loop: a reconnect that overtakes that close must still
     * never resume the session.
     */
    private volatile boolean endsWithConnection;

    /** Set while the session is new here from another node: a second copy of a message it took is dropped. */
    private volatile RepeatWindow repeats;
    /** Set once it moves to another node, before its journal lets go: what still reaches it follows it. */
    private volatile boolean moved;
    private final Router router;

    private final AtomicInteger backlog = new AtomicInteger();
    private final Queue<Runnable> decongestionWaiters = new ConcurrentLinkedQueue<>();

    Session(String clientId, long expiryInterval, EventLoop loop, SessionLimits limits, Router router,
            BrokerStats stats, SessionRegistry registry, Authorizer authorizer, SessionJournal journal) {
        this.clientId = clientId;
        this.journal = journal;
        // midge.auth's authorizer until a connection attaches (a session restored at start-up, say).
        this.reader = new Reader(new ClientIdentity(clientId, null), authorizer);
        this.endsWithConnection = expiryInterval == 0;
        this.loop = loop;
        this.limits = limits;
        this.router = router;
        this.confined = new SessionLoop(this, expiryInterval, limits, router, stats, registry, journal);
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

    EventLoop loop() {
        return loop;
    }

    /** The session's state moves to the given loop; only its current loop calls this. */
    void moveTo(EventLoop target) {
        loop = target;
    }

    @Override
    public void deliver(Message message, Delivery delivery) {
        if (message.serial() != 0 && isRepeat(message.serial())) {
            return;
        }
        Reader current = reader;
        Authorizer authorizer = current.authorizer();
        if (authorizer.isRestrictive() && !authorizer.canReceive(current.identity(), message.topicName())) {
            return;
        }
        // Stored here too, so that its acknowledgement can wait for the write.
        long storeId = journal.addOutbound(message, delivery);
        if (moved) {
            // Matched just before the session moved to another node: it follows there, through what took its
            // subscriptions here (a copy that also made it into the cluster's copy is dropped there as a repeat).
            router.deliverTo(message, subscriber -> subscriber != this && subscriber.clientId().equals(clientId));
            return;
        }
        // Counted here, on the publisher's thread, so that the router sees the congestion it causes at once.
        backlog.incrementAndGet();
        held(message);
        deliverOnLoop(message, delivery, storeId);
    }

    /** The session leaves for another node; what still reaches it here follows it. Its loop only. */
    void moved() {
        moved = true;
    }

    private void deliverOnLoop(Message message, Delivery delivery, long storeId) {
        EventLoop current = loop;
        if (current.inEventLoop()) {
            confined.deliver(message, delivery, storeId);
        } else {
            current.execute(() -> deliverOnLoop(message, delivery, storeId));
        }
    }

    @Override
    public boolean isOnline() {
        return online;
    }

    void online(boolean now) {
        online = now;
    }

    void reader(ClientIdentity identity, Authorizer authorizer) {
        reader = new Reader(identity, authorizer);
    }

    /** Messages handed to this session and not yet sent. Any thread. */
    public int queuedCount() {
        return backlog.get();
    }

    /** QoS 1/2 messages sent and not yet acknowledged. Any thread. */
    public int inflightCount() {
        return confined.inflightCount();
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
    void wakeWaiters() {
        for (int n = decongestionWaiters.size(); n > 0; n--) {
            Runnable waiter = decongestionWaiters.poll();
            if (waiter == null) {
                return;
            }
            waiter.run();
        }
    }

    /** The session holds the message until {@link #released}: the memory watermark counts its payload and topic. */
    void held(Message message) {
        limits.memory().held(bytesOf(message));
    }

    /** The session no longer holds the message: sent at QoS 0, acknowledged, expired, refused or dropped. */
    void released(Message message) {
        limits.memory().released(bytesOf(message));
    }

    /** A queued message goes without being sent: it leaves the backlog and the held bytes. */
    void dropped(Message message) {
        leftBacklog();
        released(message);
    }

    private static long bytesOf(Message message) {
        return (long) message.payload().length + message.topicName().text().length();
    }

    /** A message restored into the queue joins the backlog. */
    void enteredBacklog() {
        backlog.incrementAndGet();
    }

    /** A message left the backlog: written, dropped or discarded. */
    void leftBacklog() {
        // Wake paused publishers at half the mark, so they do not stop and start on every message.
        if (backlog.decrementAndGet() <= limits.maxQueued() / 2 && !decongestionWaiters.isEmpty()) {
            wakeWaiters();
        }
    }

    /** Queues the retained messages of a new subscription, to be sent as the backlog drains. */
    public void feedRetained(RetainedFeed feed) {
        execute(() -> confined.feedRetained(feed));
    }

    @Override
    public void congestedTooLong() {
        execute(confined::congestedTooLong);
    }

    /**
     * Attaches a connection, taking the session from any connection that holds it; a pending will and the
     * expiry timer are cancelled. From then on, what the session may receive is checked with the authorizer
     * of the connection's listener. The callback runs on the connection's loop, which is then the session's,
     * with the session's loop-confined part once attached (before anything is resent), or with null when the
     * session ended meanwhile.
     */
    public void attach(SessionConnection newConnection, ClientIdentity newIdentity, Authorizer newAuthorizer,
            long newExpiryInterval, Consumer<SessionLoop> attached) {
        execute(() -> confined.attach(newConnection, newIdentity, newAuthorizer, newExpiryInterval, attached));
    }

    /**
     * The connection is gone. Its will (null if none, or after a normal DISCONNECT) is published now, or
     * after its delay unless the client comes back first, or when the session ends, whichever is first. The
     * session ends now if its expiry interval is 0, or when it expires.
     */
    public void detach(SessionConnection oldConnection, Message will, long willDelaySeconds) {
        execute(() -> confined.detach(oldConnection, will, willDelaySeconds));
    }

    /**
     * Ends the session for good: its subscriptions go, a pending will is published, messages that came
     * through a shared subscription go to another member, the rest are dropped, and its connection closes.
     */
    void end() {
        execute(confined::end);
    }

    /** The session moves to another node; completes once it has left this one. */
    CompletionStage<Map<String, SubscriptionOptions>> handOver(boolean sessionEnds, Subscriber forwarder) {
        return query(loopPart -> loopPart.handOver(sessionEnds, forwarder));
    }

    /** Puts back a session read from the store; at start-up, before any client connects. */
    void restore(Recovered.StoredSession stored) {
        RepeatWindow window = new RepeatWindow();
        // What it brought may reach it again by the way it came: the copy on its way from the node it left.
        stored.outbound().stream().mapToLong(o -> o.message().serial()).filter(serial -> serial != 0)
                .forEach(window::firstTime);
        repeats = window;
        confined.restore(stored);
    }

    private boolean isRepeat(long serial) {
        RepeatWindow window = repeats;
        if (window == null) {
            return false;
        }
        if (window.isOver()) {
            repeats = null;
            return false;
        }
        return !window.firstTime(serial);
    }

    /** False once the session ends with its connection (or has ended): a CONNECT then gets a new one. Any thread. */
    boolean isResumable() {
        return !endsWithConnection;
    }

    /** From now on the session ends with its connection. */
    void endsWithConnection() {
        endsWithConnection = true;
    }

    /**
     * A CONNECT resumes this session with its own expiry interval; called by the registry while it holds the
     * client id's entry, so that the next CONNECT sees whether this one's session ends with its connection.
     */
    void claim(long newExpiryInterval) {
        endsWithConnection = newExpiryInterval == 0;
    }

    /**
     * A snapshot of this session for operators, taken on its loop (its state is confined there) and completed
     * from it. Fails if the loop no longer takes tasks.
     */
    public CompletionStage<SessionInfo> describe() {
        return query(SessionLoop::describe);
    }

    /**
     * Asks the session's loop-confined part a question on its loop, and completes with the answer from there.
     * Fails if the loop no longer takes tasks.
     */
    public <T> CompletionStage<T> query(Function<SessionLoop, T> question) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            execute(() -> result.complete(question.apply(confined)));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Closes the attached connection, if any, on an operator's request; the session lives on as after any close. */
    public void disconnect() {
        execute(confined::closeByAdministrator);
    }

    /** One field, so that a delivery never pairs one connection's identity with another's authorizer. */
    private record Reader(ClientIdentity identity, Authorizer authorizer) {
    }
}
