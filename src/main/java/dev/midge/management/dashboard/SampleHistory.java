package dev.midge.management.dashboard;

import java.util.ArrayList;
import java.util.List;

/** The last {@code capacity} samples in a fixed ring: adding one never allocates beyond the sample itself. */
final class SampleHistory {

    private final Sample[] ring;
    private int next;
    private int size;

    SampleHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        ring = new Sample[capacity];
    }

    synchronized void add(Sample sample) {
        ring[next] = sample;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    /** The samples held, oldest first. */
    synchronized List<Sample> snapshot() {
        List<Sample> copy = new ArrayList<>(size);
        int first = (next - size + ring.length) % ring.length;
        for (int i = 0; i < size; i++) {
            copy.add(ring[(first + i) % ring.length]);
        }
        return copy;
    }

    /** The newest sample, or null before the first. */
    synchronized Sample latest() {
        return size == 0 ? null : ring[(next - 1 + ring.length) % ring.length];
    }
}
