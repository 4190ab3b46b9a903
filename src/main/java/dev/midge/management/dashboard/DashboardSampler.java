package dev.midge.management.dashboard;

import dev.midge.config.MidgeConfig;
import dev.midge.management.EventLoopLiveness;
import dev.midge.routing.Router;
import dev.midge.session.SessionRegistry;
import dev.midge.stats.BrokerStats;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.health.Liveness;

/**
 * Takes a {@link Sample} every second on one Vert.x timer, keeps the last 15 minutes in a fixed ring and hands
 * each new one to the live streams. A sample only reads counters and sizes the broker keeps anyway, so the
 * timer's turn on an event loop is a few microseconds. It is a step of the broker's start-up sequence, after
 * the meters and before anything that moves the counters, so its first sample's rates start from zero.
 */
@ApplicationScoped
public class DashboardSampler {

    static final int HISTORY_SECONDS = 15 * 60;
    private static final long INTERVAL_MILLIS = 1000;

    private final Vertx vertx;
    private final boolean enabled;
    private final BrokerStats stats;
    private final SessionRegistry sessions;
    private final Router router;
    private final EventLoopLiveness loops;
    private final BrokerTotals totals;
    private final SampleHistory history = new SampleHistory(HISTORY_SECONDS);
    private final BroadcastProcessor<Sample> live = BroadcastProcessor.create();
    private long timer = -1;
    private long lastNanos;
    private long lastReceived;
    private long lastSent;
    private long lastBytesIn;
    private long lastBytesOut;

    public DashboardSampler(Vertx vertx, MidgeConfig config, BrokerStats stats, SessionRegistry sessions,
            Router router, @Liveness EventLoopLiveness loops, BrokerTotals totals) {
        this.vertx = vertx;
        this.enabled = config.dashboard().enabled();
        this.stats = stats;
        this.sessions = sessions;
        this.router = router;
        this.loops = loops;
        this.totals = totals;
    }

    /** Starts the timer unless the dashboard is off. */
    public void start() {
        if (!enabled) {
            return;
        }
        lastNanos = System.nanoTime();
        lastReceived = stats.messagesReceived();
        lastSent = stats.messagesSent();
        lastBytesIn = stats.bytesReceived();
        lastBytesOut = stats.bytesSent();
        timer = vertx.setPeriodic(INTERVAL_MILLIS, id -> sample());
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            live.onComplete();
        }
    }

    /** The samples of the last 15 minutes, oldest first. */
    public List<Sample> history() {
        return history.snapshot();
    }

    /** Each sample from now on; a subscriber that does not keep up misses samples rather than queueing them. */
    public Multi<Sample> live() {
        return live.onOverflow().drop();
    }

    // Only the timer calls it, one call at a time, so the last-value fields need no guard.
    void sample() {
        long now = System.nanoTime();
        double seconds = Math.max(now - lastNanos, 1) / 1e9;
        long received = stats.messagesReceived();
        long sent = stats.messagesSent();
        long bytesIn = stats.bytesReceived();
        long bytesOut = stats.bytesSent();
        EventLoopLiveness.Health health = loops.check();
        Sample sample = new Sample(System.currentTimeMillis(), stats.clientsConnected(), sessions.size(),
                router.subscriptions().size(), router.retained().size(), (received - lastReceived) / seconds,
                (sent - lastSent) / seconds, (bytesIn - lastBytesIn) / seconds, (bytesOut - lastBytesOut) / seconds,
                BrokerTotals.sum(totals.dropped()), BrokerTotals.sum(totals.limits()),
                Math.max(health.longestWaitMillis(), health.slowestProbeMillis()), health.wedged());
        lastNanos = now;
        lastReceived = received;
        lastSent = sent;
        lastBytesIn = bytesIn;
        lastBytesOut = bytesOut;
        history.add(sample);
        live.onNext(sample);
    }
}
