package dev.midge.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The token bucket on a clock the test moves. */
class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long START = -5 * SECOND;

    @Test
    void startsFullAndLetsTheBurstThroughAtOnce() {
        TokenBucket bucket = new TokenBucket(10, 3, START);
        assertTrue(bucket.tryTake(1, START));
        assertTrue(bucket.tryTake(1, START));
        assertTrue(bucket.tryTake(1, START));
        assertFalse(bucket.tryTake(1, START), "a burst of 3");
        assertEquals(0, bucket.tokens(START), 1e-9, "a refusal takes nothing");
    }

    @Test
    void aCostPassesOnlyWhenTheBucketHoldsIt() {
        TokenBucket bucket = new TokenBucket(10, 2, START);
        bucket.take(2, START);
        assertFalse(bucket.tryTake(1, START + SECOND / 20), "half a token is not one");
        assertTrue(bucket.tryTake(1, START + SECOND / 10));
    }

    @Test
    void refillsAtItsRateUpToTheBurst() {
        TokenBucket bucket = new TokenBucket(10, 3, START);
        bucket.take(3, START);
        assertTrue(bucket.isEmpty(START));
        assertEquals(1, bucket.tokens(START + SECOND / 10), 1e-9, "10/s: one token in 100 ms");
        assertEquals(3, bucket.tokens(START + 60 * SECOND), 1e-9, "never more than the burst");
    }

    @Test
    void aCostLargerThanTheBurstPassesWhenFullAndIsOwed() {
        TokenBucket bucket = new TokenBucket(100, 100, START);
        assertTrue(bucket.tryTake(250, START), "full: passes");
        assertEquals(-150, bucket.tokens(START), 1e-9);
        assertFalse(bucket.tryTake(1, START + SECOND), "still owing 50 after a second");
        assertFalse(bucket.tryTake(250, START + 2 * SECOND), "larger than the burst: waits for a full bucket");
        assertTrue(bucket.tryTake(250, START + 3 * SECOND));
    }

    @Test
    void tellsHowLongUntilALevelIsBack() {
        TokenBucket bucket = new TokenBucket(4, 8, START);
        bucket.take(10, START);
        assertEquals(SECOND, bucket.nanosUntil(2, START), 2, "from -2 to 2 at 4/s");
        assertEquals(0, bucket.nanosUntil(2, START + SECOND));
        assertEquals(SECOND / 2, bucket.nanosUntil(100, START + 2 * SECOND), 2, "a level above the burst is the burst");
    }

    @Test
    void aClockThatStandsStillOrGoesBackAddsNothing() {
        TokenBucket bucket = new TokenBucket(1, 1, START);
        bucket.take(1, START);
        assertTrue(bucket.isEmpty(START - SECOND));
        assertTrue(bucket.isEmpty(START));
    }

    @Test
    void rateAndBurstMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1, START));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0, START));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(Double.NaN, 1, START));
    }
}
