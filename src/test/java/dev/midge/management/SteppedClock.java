package dev.midge.management;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link MonotonicClock} that moves only when a test steps it; only in the test profiles
 * that enable it. */
@Alternative
@ApplicationScoped
public class SteppedClock extends MonotonicClock {

    private final AtomicLong millis = new AtomicLong(1_000_000);

    @Override
    public long millis() {
        return millis.get();
    }

    public void step(java.time.Duration by) {
        millis.addAndGet(by.toMillis());
    }
}
