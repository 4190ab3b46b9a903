package dev.midge.bench;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The time each of a known number of messages took from its publisher to its subscriber, read from the send time
 * its payload carries ({@link BenchClient#payload}), and the percentiles of those times.
 */
final class LatencySamples {

    private final long[] samples;
    private final AtomicInteger received = new AtomicInteger();
    private final CountDownLatch all = new CountDownLatch(1);

    LatencySamples(int expected) {
        samples = new long[expected];
    }

    /** A subscriber's callback: one message arrived now. */
    void record(ByteBuf payload) {
        long sentAt = payload.getLong(payload.readerIndex() + 12);
        int i = received.getAndIncrement();
        if (i < samples.length) {
            samples[i] = System.nanoTime() - sentAt;
        }
        if (i + 1 == samples.length) {
            all.countDown();
        }
    }

    /** Waits until every expected message arrived, or the time is up. */
    void await(long seconds) throws InterruptedException {
        all.await(seconds, TimeUnit.SECONDS);
    }

    /** Ends the wait at once, as when the run fails. */
    void giveUp() {
        all.countDown();
    }

    boolean done() {
        return all.getCount() == 0;
    }

    /** The times recorded, in nanoseconds, sorted. */
    long[] sorted() {
        long[] sorted = Arrays.copyOf(samples, Math.min(received.get(), samples.length));
        Arrays.sort(sorted);
        return sorted;
    }

    /** The {@code q} quantile of sorted times, in microseconds; 0 when there are none. */
    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e3;
    }
}
