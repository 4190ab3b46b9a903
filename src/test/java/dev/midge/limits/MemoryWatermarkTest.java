package dev.midge.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.config.MemoryMarks;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The watermark goes high above memory-high, stays high down to memory-low, and wakes its waiters there. */
class MemoryWatermarkTest {

    private final LimitCounters counters = new LimitCounters();
    private final MemoryWatermark watermark = new MemoryWatermark(new MemoryMarks(1000, 600), counters);

    @Test
    void highAboveTheHighMarkAndLowAgainOnlyAtTheLowMark() {
        watermark.held(1000);
        assertFalse(watermark.isHigh(), "at the mark is not over it");
        watermark.held(1);
        assertTrue(watermark.isHigh());
        watermark.released(300);
        assertTrue(watermark.isHigh(), "701 bytes: between the marks it stays high");
        watermark.held(200);
        watermark.released(300);
        assertTrue(watermark.isHigh(), "601 bytes: still above low");
        watermark.released(1);
        assertFalse(watermark.isHigh(), "600 bytes: at low");
        assertEquals(600, watermark.heldBytes());
        watermark.held(300);
        assertFalse(watermark.isHigh(), "between the marks on the way up it stays low");
    }

    @Test
    void eachEntryIntoTheHighStateIsCountedOnce() {
        for (int i = 0; i < 3; i++) {
            watermark.held(1500);
            watermark.held(10);
            watermark.released(1510);
        }
        assertEquals(3, counters.count(LimitKind.MEMORY));
        assertEquals(0, watermark.heldBytes());
    }

    @Test
    void waitersRunWhenLowAndAtOnceWhileLow() {
        AtomicInteger woken = new AtomicInteger();
        watermark.whenLow(woken::incrementAndGet);
        assertEquals(1, woken.get(), "low already");
        watermark.held(2000);
        watermark.whenLow(woken::incrementAndGet);
        watermark.whenLow(woken::incrementAndGet);
        watermark.released(1000);
        assertEquals(1, woken.get(), "1000 bytes: still high");
        watermark.released(500);
        assertEquals(3, woken.get(), "both woken at low");
        watermark.held(1000);
        watermark.released(1000);
        assertEquals(3, woken.get(), "each waiter runs once");
    }

    @Test
    void newMarksApplyAtOnce() {
        watermark.held(800);
        watermark.marks(new MemoryMarks(700, 500));
        assertTrue(watermark.isHigh(), "800 bytes is over the new high mark");
        assertEquals(1, counters.count(LimitKind.MEMORY));
        AtomicInteger woken = new AtomicInteger();
        watermark.whenLow(woken::incrementAndGet);
        watermark.marks(new MemoryMarks(2000, 900));
        assertFalse(watermark.isHigh(), "800 bytes is under the new low mark");
        assertEquals(1, woken.get());
        watermark.marks(new MemoryMarks(0, 0));
        watermark.held(1_000_000);
        assertFalse(watermark.isHigh(), "a high mark of 0 is no watermark");
        assertEquals(1_000_800, watermark.heldBytes(), "still counted, for the meter and a later reload");
    }
}
