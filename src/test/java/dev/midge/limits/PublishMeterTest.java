package dev.midge.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.config.LimitsConfig.OnExcess;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** A client's message and byte buckets, per on-excess mode, and that metering a message allocates nothing. */
class PublishMeterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void rejectModeRefusesWithoutTakingAndSaysWhichRate() {
        PublishMeter meter = new PublishLimit(2, 2, 1000, 1000, OnExcess.REJECT).newMeter(0);
        assertNull(meter.admit(10, 0));
        assertNull(meter.admit(10, 0));
        assertEquals(LimitKind.PUBLISH_RATE, meter.admit(10, 0));
        assertNull(meter.admit(10, SECOND / 2), "one message back after half a second at 2/s");

        PublishMeter bytes = new PublishLimit(0, 1, 100, 100, OnExcess.REJECT).newMeter(0);
        assertNull(bytes.admit(150, 0), "larger than the burst: passes once, owed");
        assertEquals(LimitKind.PUBLISH_BYTES_RATE, bytes.admit(1, 0));
        assertEquals(1, bytes.state(0).hits());
        assertNull(bytes.state(0).tokens(), "no message rate");
        assertEquals(-50, bytes.state(0).byteTokens(), 1e-9);
    }

    @Test
    void throttleModeTakesEveryMessageAndSaysWhenToReadAgain() {
        PublishMeter meter = new PublishLimit(10, 4, 0, 1, OnExcess.THROTTLE).newMeter(0);
        for (int i = 0; i < 3; i++) {
            assertNull(meter.admit(1, 0));
        }
        assertEquals(LimitKind.PUBLISH_RATE, meter.admit(1, 0), "the fourth empties the bucket");
        assertEquals(LimitKind.PUBLISH_RATE, meter.admit(1, 0), "read anyway: owed");
        assertEquals(-1, meter.state(0).tokens(), 1e-9);
        assertEquals(3 * SECOND / 10, meter.nanosUntilResume(0), 2, "back to half the burst (2) at 10/s");
        assertFalse(meter.state(0).throttled());
        meter.throttled(true);
        assertTrue(meter.state(0).throttled());
    }

    @Test
    void meteringAMessageAllocatesNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (OnExcess mode : OnExcess.values()) {
            PublishMeter meter = new PublishLimit(1000, 100, 1e6, 1e5, mode).newMeter(0);
            exercise(meter, 20_000);
            long before = threads.getThreadAllocatedBytes(thread);
            exercise(meter, 200_000);
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertTrue(allocated < 4096, mode + ": " + allocated + " bytes for 200,000 messages");
        }
    }

    private static void exercise(PublishMeter meter, int messages) {
        long now = 0;
        for (int i = 0; i < messages; i++) {
            now += 100_000;
            if (meter.admit(100 + (i & 63), now) != null && meter.onExcess() == OnExcess.THROTTLE) {
                now += meter.nanosUntilResume(now);
            }
        }
    }
}
