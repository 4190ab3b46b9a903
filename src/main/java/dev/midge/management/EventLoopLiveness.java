package dev.midge.management;

import dev.midge.config.MidgeConfig;
import dev.midge.eventloop.EventLoops;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while every Vert.x event loop (they serve all MQTT connections) keeps running tasks. Each call hands
 * every loop a tiny probe task and judges by the probes of earlier calls: a loop whose probe has waited longer
 * than {@code midge.health.event-loop-timeout} is wedged. The check never waits, so it cannot block, whatever
 * thread runs it.
 */
@Liveness
@ApplicationScoped
public class EventLoopLiveness implements HealthCheck {

    /** One loop's probe: at most one task in flight, and how long the last one took to run. */
    private static final class Probe {
        final EventExecutor loop;
        final AtomicBoolean pending = new AtomicBoolean();
        volatile long sentAt;
        volatile long lastDelay;

        Probe(EventExecutor loop) {
            this.loop = loop;
        }

        /** Sends a probe unless one is in flight; returns how long the one in flight has waited, or -1. */
        long send(long now) {
            if (!pending.compareAndSet(false, true)) {
                return now - sentAt;
            }
            sentAt = now;
            try {
                loop.execute(() -> {
                    lastDelay = System.nanoTime() - sentAt;
                    pending.set(false);
                });
            } catch (RejectedExecutionException e) {
                // The loop is shutting down: its probe stays pending and the loop counts as wedged in time.
                return 0;
            }
            return -1;
        }
    }

    private final List<Probe> probes = new ArrayList<>();
    private final long timeoutNanos;

    @Inject
    public EventLoopLiveness(EventLoops loops, MidgeConfig config) {
        this(loops.group(), config.health().eventLoopTimeout());
    }

    EventLoopLiveness(EventLoopGroup loops, Duration timeout) {
        loops.forEach(loop -> probes.add(new Probe(loop)));
        this.timeoutNanos = timeout.toNanos();
    }

    /**
     * The loops' health at one moment.
     *
     * @param longestWaitMillis how long the oldest probe still in flight has waited
     * @param slowestProbeMillis how long the slowest last completed probe took to run
     */
    public record Health(int loops, int wedged, long longestWaitMillis, long slowestProbeMillis) {
    }

    /** Sends each loop a probe unless one is in flight, and judges the loops by the probes sent before. */
    public Health check() {
        long now = System.nanoTime();
        int wedged = 0;
        long longestWait = 0;
        long slowestRun = 0;
        for (Probe probe : probes) {
            long waiting = probe.send(now);
            if (waiting > timeoutNanos) {
                wedged++;
            }
            longestWait = Math.max(longestWait, waiting);
            slowestRun = Math.max(slowestRun, probe.lastDelay);
        }
        return new Health(probes.size(), wedged, longestWait / 1_000_000, slowestRun / 1_000_000);
    }

    @Override
    public HealthCheckResponse call() {
        Health health = check();
        return HealthCheckResponse.named("event-loops")
                .status(health.wedged() == 0)
                .withData("event-loops", health.loops())
                .withData("wedged", health.wedged())
                .withData("longest-wait-ms", health.longestWaitMillis())
                .withData("slowest-probe-ms", health.slowestProbeMillis())
                .withData("timeout-ms", timeoutNanos / 1_000_000)
                .build();
    }
}
