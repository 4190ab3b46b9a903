package dev.midge.management;

import jakarta.enterprise.context.ApplicationScoped;

/** Milliseconds of the monotonic clock, as a bean so that a test can step it instead of waiting. */
@ApplicationScoped
public class MonotonicClock {

    public long millis() {
        return System.nanoTime() / 1_000_000;
    }
}
