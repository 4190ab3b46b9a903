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

    private final LimitsConfig config;
    private final LimitRules rules;
    private final FlappingTracker flapping;
    private final LimitCounters counters = new LimitCounters();
    private final LongSupplier nanoClock;
    private final LiveMeters liveMeters;
    private final int maxRetainedPerClient;
    private final MemoryWatermark memory;

    @Inject
    public Limits(MidgeConfig config) {
        this(config.limits(), System::nanoTime);
    }

    /** @param nanoClock the clock of every rate and of the flapping tracker: {@link System#nanoTime} but in tests */
    public Limits(LimitsConfig config, LongSupplier nanoClock) {
        this.config = config;
        this.nanoClock = nanoClock;
        this.liveMeters = new LiveMeters(nanoClock);
        this.maxRetainedPerClient = config.maxRetainedPerClient().orElse(0);
        this.memory = new MemoryWatermark(MemoryMarks.of(config, Runtime.getRuntime().maxMemory()), counters);
        this.rules = new LimitRules(config);
        LimitsConfig.Flapping f = config.flapping();
        this.flapping = f.enabled()
                ? new FlappingTracker(f.maxCount(), f.window(), f.ban(), f.maxTracked(), nanoClock) : null;
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
        double rate = config.connectionRate().orElse(0);
        return rate > 0 ? new TokenBucket(rate, PublishLimit.burstOr(rate, config.connectionBurst().orElse(0)), now)
                : null;
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
