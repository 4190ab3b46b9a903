package dev.midge.cluster;

import dev.midge.message.Message;
import dev.midge.persistence.BrokerStore;
import dev.midge.routing.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Messages for sessions on their way to this node, by {@link Targets target}: the sessions of a node that left,
 * which this node adopts as its heir, or one client's session that another node hands over to this one. The
 * messages wait until the sessions are restored here, then go to them in the order they came, and later ones go
 * to them at once. A publisher's acknowledgement waits until the sessions keep its message; when they do not
 * arrive within {@link #WAIT}, the waiting messages are let go and their publishers not acknowledged.
 */
final class Arrivals {

    private static final Logger LOG = Logger.getLogger(Arrivals.class);
    static final Duration WAIT = Duration.ofSeconds(60);
    /** How long arrived sessions still take messages named for them, from links that lag. */
    static final long KEPT_SECONDS = 300;
    private static final IllegalStateException NOT_ARRIVED =
            new IllegalStateException("the sessions the messages were for did not arrive here");

    private final Router router;
    private final BrokerStore store;
    private final ScheduledExecutorService timer;
    private final Duration wait;
    private final Map<String, Expected> byTarget = new ConcurrentHashMap<>();

    private record Held(Message message, CompletableFuture<Void> kept) {
    }

    /** The messages waiting for one target's sessions, then, once they arrived, their client ids. */
    private static final class Expected {
        List<Held> held = new ArrayList<>();
        volatile Set<String> clients;
    }

    Arrivals(Router router, BrokerStore store, ScheduledExecutorService timer) {
        this(router, store, timer, WAIT);
    }

    /** @param wait how long messages wait for sessions that are on their way */
    Arrivals(Router router, BrokerStore store, ScheduledExecutorService timer, Duration wait) {
        this.wait = wait;
        this.router = router;
        this.store = store;
        this.timer = timer;
    }

    /** The target's sessions are on their way here: messages for them wait from now on. */
    void expect(String target) {
        expected(target);
    }

    /**
     * A message for the target's sessions. Returns null when it went to them now, on this thread (its changes
     * to them are this thread's to wait for); else a future that completes once they keep it, or fails when they
     * do not arrive. A client's session that is neither expected nor here may have moved on: what stands for it
     * here then sends it on.
     */
    CompletableFuture<Void> receive(String target, Message message) {
        String client = Targets.clientOf(target);
        Expected expected = client == null ? expected(target) : byTarget.get(target);
        Set<String> clients = client == null ? null : Set.of(client);
        if (expected != null) {
            synchronized (expected) {
                if (expected.clients == null) {
                    CompletableFuture<Void> kept = new CompletableFuture<>();
                    expected.held.add(new Held(message, kept));
                    return kept;
                }
                clients = expected.clients;
            }
        }
        Set<String> those = clients;
        router.deliverTo(message, subscriber -> those.contains(subscriber.clientId()));
        return null;
    }

    /**
     * The target's sessions, those of the client ids given, are restored here: what waited for them goes to them
     * now, and what comes later at once; nothing when they were not expected. On the thread that restored them,
     * or one that may block.
     */
    void arrived(String target, Set<String> clientIds) {
        Expected expected = byTarget.get(target);
        if (expected == null) {
            return;
        }
        List<Held> waiting;
        synchronized (expected) {
            if (expected.clients != null) {
                return;
            }
            waiting = expected.held;
            expected.held = List.of();
            expected.clients = Set.copyOf(clientIds);
        }
        Set<String> clients = expected.clients;
        for (Held held : waiting) {
            router.deliverTo(held.message(), subscriber -> clients.contains(subscriber.clientId()));
        }
        store.whenDurable(() -> waiting.forEach(held -> held.kept().complete(null)),
                () -> waiting.forEach(held -> held.kept().completeExceptionally(NOT_ARRIVED)));
        if (!waiting.isEmpty()) {
            LOG.debugf("%d messages that came while the sessions of %s were on their way here went to them",
                    waiting.size(), target);
        }
        timer.schedule(() -> byTarget.remove(target, expected), KEPT_SECONDS, TimeUnit.SECONDS);
    }

    private Expected expected(String target) {
        return byTarget.computeIfAbsent(target, t -> {
            Expected created = new Expected();
            timer.schedule(() -> giveUp(t, created), wait.toMillis(), TimeUnit.MILLISECONDS);
            return created;
        });
    }

    private void giveUp(String target, Expected expected) {
        List<Held> waiting;
        synchronized (expected) {
            if (expected.clients != null) {
                return;
            }
            waiting = expected.held;
            expected.held = new ArrayList<>();
        }
        byTarget.remove(target, expected);
        if (!waiting.isEmpty()) {
            LOG.warnf("%d messages for the sessions of %s waited %s for them to arrive here, in vain; their"
                    + " publishers are not acknowledged", waiting.size(), target, wait);
        }
        waiting.forEach(held -> held.kept().completeExceptionally(NOT_ARRIVED));
    }
}
