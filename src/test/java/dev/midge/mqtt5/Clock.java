package dev.midge.mqtt5;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

/** For behaviour that shows only once an interval has passed and cannot be polled without disturbing it. */
final class Clock {

    private Clock() {
    }

    /** Returns once the given milliseconds have passed since {@code startMillis} (a currentTimeMillis value). */
    static void awaitPassed(long startMillis, long millis) {
        await().atMost(Duration.ofMillis(millis + 5_000)).pollInterval(Duration.ofMillis(50))
                .until(() -> System.currentTimeMillis() - startMillis >= millis);
    }
}
