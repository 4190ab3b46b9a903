package dev.midge.limits;

/**
 * A token bucket on a nanosecond clock the caller passes in: {@code rate} tokens a second flow in, up to
 * {@code burst}. A cost passes when the bucket holds it, or, for a cost larger than the burst, when the bucket is
 * full: it then owes the rest, so a message larger than the burst still passes, and the long-run rate stays the
 * configured one. Mutable and not thread-safe: one per connection, on its event loop, or behind a lock; it
 * allocates nothing once made.
 */
public final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long refilledAt;

    /** Starts full. */
    public TokenBucket(double ratePerSecond, double burst, long now) {
        if (!(ratePerSecond > 0) || !(burst > 0)) {
            throw new IllegalArgumentException("rate and burst must be positive: " + ratePerSecond + ", " + burst);
        }
        this.ratePerNano = ratePerSecond / NANOS_PER_SECOND;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = now;
    }

    /** Takes {@code cost} if {@link #hasRoomFor} it; false, taking nothing, when not. */
    public boolean tryTake(double cost, long now) {
        if (!hasRoomFor(cost, now)) {
            return false;
        }
        tokens -= cost;
        return true;
    }

    /** Whether the bucket holds {@code cost}, or is full for a cost larger than the burst. */
    public boolean hasRoomFor(double cost, long now) {
        refill(now);
        return tokens >= Math.min(cost, burst);
    }

    /** Takes {@code cost} whatever is left, for what was let in already; the bucket may owe after it. */
    public void take(double cost, long now) {
        refill(now);
        tokens -= cost;
    }

    /** Whether it holds nothing, or owes. */
    public boolean isEmpty(long now) {
        refill(now);
        return tokens <= 0;
    }

    /** Nanoseconds until the bucket holds {@code level} tokens (at most the burst); 0 if it does. */
    public long nanosUntil(double level, long now) {
        refill(now);
        double missing = Math.min(level, burst) - tokens;
        return missing <= 0 ? 0 : (long) Math.ceil(missing / ratePerNano);
    }

    /** The tokens in the bucket now; negative while it owes. */
    public double tokens(long now) {
        refill(now);
        return tokens;
    }

    public double ratePerSecond() {
        return ratePerNano * NANOS_PER_SECOND;
    }

    public double burst() {
        return burst;
    }

    private void refill(long now) {
        long elapsed = now - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * ratePerNano);
            refilledAt = now;
        }
    }
}
