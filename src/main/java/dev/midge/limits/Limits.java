package dev.midge.limits;

import dev.midge.config.LimitsConfig;
import dev.midge.config.MemoryMarks;
import dev.midge.config.MidgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.LongSupplier;

/**
 * The broker's overload limits ({@code midge.limits}): which publish limit a client gets, the flapping
 * tracker, the memory watermark, and how often each limit was hit. One for the broker, used from every event loop.
 */
@ApplicationScoped
public class Limits {

    private final LimitCounters counters = new LimitCounters();
    private final LongSupplier nanoClock;
    private final LiveMeters liveMeters;
    private final MemoryWatermark memory;
    private volatile LimitsConfig config;
    private volatile LimitRules rules;
    private volatile FlappingTracker flapping;
    private volatile int maxRetainedPerClient;
    /** Counts reloads, so that what was made from the settings before one is made afresh. */
    private volatile int generation;

    @Inject
    public Limits(MidgeConfig config) {
        this(config.limits(), System::nanoTime);
    }

    /** @param nanoClock the clock of every rate and of the flapping tracker: {@link System#nanoTime} but in tests */
    public Limits(LimitsConfig config, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.liveMeters = new LiveMeters(nanoClock);
        this.memory = new MemoryWatermark(MemoryMarks.of(config, Runtime.getRuntime().maxMemory()), counters);
        apply(config);
    }

    /**
     * New settings, checked already, from a reload: clients that connect from now on get the new publish limits
     * and retained quota, listeners the new connection rate at their next connection, and the flapping tracker
     * and the memory watermark their new settings at once (bans in force stay, unless flapping is turned off).
     */
    public synchronized void reload(LimitsConfig newConfig) {
        apply(newConfig);
        memory.marks(MemoryMarks.of(newConfig, Runtime.getRuntime().maxMemory()));
        generation++;
    }

    private void apply(LimitsConfig newConfig) {
        config = newConfig;
        rules = new LimitRules(newConfig);
        maxRetainedPerClient = newConfig.maxRetainedPerClient().orElse(0);
        LimitsConfig.Flapping f = newConfig.flapping();
        FlappingTracker current = flapping;
        if (!f.enabled()) {
            flapping = null;
        } else if (current == null) {
            flapping = new FlappingTracker(f.maxCount(), f.window(), f.ban(), f.maxTracked(), nanoClock);
        } else {
            current.reconfigure(f.maxCount(), f.window(), f.ban(), f.maxTracked());
        }
    }

    /** Changes with each reload: what is made from the settings once is made again when it changed. */
    public int generation() {
        return generation;
    }

    public long nanoTime() {
        return nanoClock.getAsLong();
    }

    public LimitRules rules() {
        return rules;
    }

    /** The flapping tracker, or null while {@code midge.limits.flapping.enabled} is off. */
    public FlappingTracker flapping() {
        return flapping;
    }

    /** The publish meters of connected clients, for the admin API. */
    public LiveMeters liveMeters() {
        return liveMeters;
    }

    public LimitCounters counters() {
        return counters;
    }

    /** A listener's own connection-rate bucket, or null without {@code midge.limits.connection-rate}. */
    public TokenBucket newConnectionBucket(long now) {
        LimitsConfig current = config;
        double rate = current.connectionRate().orElse(0);
        return rate > 0 ? new TokenBucket(rate, PublishLimit.burstOr(rate, current.connectionBurst().orElse(0)),
                now) : null;
    }

    /** What all sessions hold, against {@code midge.limits.memory-high} and {@code memory-low}. */
    public MemoryWatermark memory() {
        return memory;
    }

    /** {@code midge.limits.max-retained-per-client}, or 0 for no limit. */
    public int maxRetainedPerClient() {
        return maxRetainedPerClient;
    }
}
