package dev.midge.session;

import dev.midge.message.Message;
import dev.midge.persistence.Recovered;
import dev.midge.routing.Router;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * How long a session outlives its connection, and its will waiting out its Will Delay Interval: the two
 * timers of an offline session. Part of {@link SessionLoop}, confined to the session's loop.
 */
final class SessionLifetime {

    private final Session session;
    private final Router router;
    private final SessionJournal journal;
    private long expiryInterval;
    /**
     * Has {@code midge.max-session-expiry}, applied as the client goes, so that the interval it asked for is
     * kept and a reload counts for each connection that ends after it.
     */
    private final SessionRegistry registry;
    private ScheduledFuture<?> expiryTask;
    private Message pendingWill;
    private ScheduledFuture<?> willTask;

    SessionLifetime(Session session, long expiryInterval, SessionRegistry registry, Router router,
            SessionJournal journal) {
        this.session = session;
        this.expiryInterval = expiryInterval;
        this.registry = registry;
        this.router = router;
        this.journal = journal;
    }

    long expiryInterval() {
        return expiryInterval;
    }

    void expiryInterval(long seconds) {
        expiryInterval = seconds;
    }

    /** A connection attaches: the session no longer expires, and a delayed will is not published. */
    void cancelTimers() {
        if (expiryTask != null) {
            expiryTask.cancel(false);
            expiryTask = null;
        }
        if (willTask != null) {
            willTask.cancel(false);
            willTask = null;
        }
        if (pendingWill != null) {
            journal.removeWill();
        }
        pendingWill = null;
    }

    /** The will of a connection that no longer held the session: a resumed session cancels a delayed will. */
    void takenOverWill(Message will, long willDelaySeconds, boolean sessionEnded) {
        if (will != null && (willDelaySeconds == 0 || sessionEnded)) {
            router.publish(will);
        }
    }

    /** The connection is gone: its will is published now, or waits out its delay. */
    void willOnDetach(Message will, long willDelaySeconds) {
        if (will == null) {
            return;
        }
        if (willDelaySeconds == 0 || expiryInterval == 0) {
            router.publish(will);
        } else {
            pendingWill = will;
            willTask = session.loop().schedule(this::publishPendingWill, willDelaySeconds, TimeUnit.SECONDS);
        }
    }

    /** A will waiting out its delay is written to the journal, due at the given time. */
    void journalWill(long detachedAt, long willDelaySeconds) {
        if (pendingWill != null) {
            journal.putWill(pendingWill, detachedAt + TimeUnit.SECONDS.toMillis(willDelaySeconds));
        }
    }

    /** The session ends when its expiry interval has passed, unless a connection attaches first. */
    void startExpiry() {
        long offline = offlineInterval();
        if (offline != Session.NEVER_EXPIRES) {
            expiryTask = session.loop().schedule(session::end, offline, TimeUnit.SECONDS);
        }
    }

    /** How long the session outlives its connection: what the client asked for, within the broker's limit. */
    private long offlineInterval() {
        return Math.min(expiryInterval, registry.maxExpiryInterval());
    }

    private void publishPendingWill() {
        Message will = pendingWill;
        pendingWill = null;
        willTask = null;
        if (will != null) {
            journal.removeWill();
            router.publish(will);
        }
    }

    /** The session ends: its timers stop and a pending will is published. */
    void ended() {
        if (expiryTask != null) {
            expiryTask.cancel(false);
        }
        if (willTask != null) {
            willTask.cancel(false);
        }
        publishPendingWill();
    }

    /** The session moved to another node: its timers stop here, and its will waits there. */
    void handedOver() {
        if (expiryTask != null) {
            expiryTask.cancel(false);
        }
        if (willTask != null) {
            willTask.cancel(false);
        }
        pendingWill = null;
    }

    /** The timers of a session read from the store, counted from when its client went away. */
    void restore(Recovered.StoredSession stored, long now) {
        long disconnectedAt = stored.disconnectedAt() == 0 ? now : stored.disconnectedAt();
        if (stored.disconnectedAt() == 0) {
            // Connected when the broker stopped: the client went away now, as far as expiry is concerned.
            journal.putSession(expiryInterval, disconnectedAt);
        }
        if (stored.will() != null) {
            pendingWill = stored.will().message();
            willTask = session.loop().schedule(this::publishPendingWill,
                    Math.max(0, stored.will().publishAt() - now), TimeUnit.MILLISECONDS);
        }
        long offline = offlineInterval();
        if (offline != Session.NEVER_EXPIRES) {
            long left = TimeUnit.SECONDS.toMillis(offline) - (now - disconnectedAt);
            expiryTask = session.loop().schedule(session::end, Math.max(0, left), TimeUnit.MILLISECONDS);
        }
    }
}
