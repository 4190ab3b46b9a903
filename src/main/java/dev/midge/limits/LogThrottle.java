package dev.midge.limits;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Lets a log line through at most once per interval, and counts the ones it held back. Any thread. */
final class LogThrottle {

    private final long intervalNanos;
    private final LongSupplier clock;
    private final AtomicLong lastPassed;
    private final AtomicLong heldBack = new AtomicLong();

    LogThrottle(long intervalNanos, LongSupplier clock) {
        this.intervalNanos = intervalNanos;
        this.clock = clock;
        this.lastPassed = new AtomicLong(clock.getAsLong() - intervalNanos);
    }

    /** How many lines were held back since the last one let through, or -1 when this one is held back too. */
    long admit() {
        long now = clock.getAsLong();
        long last = lastPassed.get();
        if (now - last >= intervalNanos && lastPassed.compareAndSet(last, now)) {
            return heldBack.getAndSet(0);
        }
        heldBack.incrementAndGet();
        return -1;
    }
}
