package dev.midge.bench;

import io.netty.buffer.ByteBuf;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one subscriber received, by publisher and sequence number: unique messages, duplicates, and messages
 * that arrived after a later one of the same publisher. Used on the subscriber's event loop only; read when
 * the run is over.
 */
final class DeliveryCounter {

    private final BitSet[] seen;
    private final long[] highest;
    private final AtomicLong uniqueTotal;
    private final AtomicLong lastArrivalNanos;
    long unique;
    long duplicates;
    long reordered;

    DeliveryCounter(int publishers, AtomicLong uniqueTotal, AtomicLong lastArrivalNanos) {
        this.seen = new BitSet[publishers];
        this.highest = new long[publishers];
        for (int i = 0; i < publishers; i++) {
            seen[i] = new BitSet();
            highest[i] = -1;
        }
        this.uniqueTotal = uniqueTotal;
        this.lastArrivalNanos = lastArrivalNanos;
    }

    void record(ByteBuf payload) {
        int publisher = payload.getInt(payload.readerIndex());
        long sequence = payload.getLong(payload.readerIndex() + 4);
        lastArrivalNanos.set(System.nanoTime());
        if (seen[publisher].get((int) sequence)) {
            duplicates++;
            return;
        }
        seen[publisher].set((int) sequence);
        unique++;
        uniqueTotal.incrementAndGet();
        if (sequence < highest[publisher]) {
            reordered++;
        } else {
            highest[publisher] = sequence;
        }
    }
}
