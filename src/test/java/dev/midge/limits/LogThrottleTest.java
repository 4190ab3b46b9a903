package dev.midge.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final LogThrottle throttle = new LogThrottle(TimeUnit.MINUTES.toNanos(1), now::get);

    @Test
    void theFirstLinePassesAndTheNextOnesWaitForTheIntervalThenReportHowManyWereHeldBack() {
        assertEquals(0, throttle.admit());
        for (int i = 0; i < 5; i++) {
            now.addAndGet(TimeUnit.SECONDS.toNanos(10));
            assertEquals(-1, throttle.admit());
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        assertEquals(5, throttle.admit());
        assertEquals(-1, throttle.admit());
        now.addAndGet(TimeUnit.MINUTES.toNanos(1));
        assertEquals(1, throttle.admit());
    }
}
