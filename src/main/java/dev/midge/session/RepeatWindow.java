package dev.midge.session;

import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The serials of the messages a session took in its first minute on this node. A session that came from another
 * node (moved, or adopted from a node that left) can be reached by two copies of one publication for a moment:
 * the one the cluster routed here directly, and the one sent on for it from where it was. The second is dropped.
 */
final class RepeatWindow {

    static final long LIFETIME_NANOS = 60_000_000_000L;
    static final int CAPACITY = 16_384;

    private final long endsAt = System.nanoTime() + LIFETIME_NANOS;
    private final LinkedHashSet<Long> seen = new LinkedHashSet<>();

    boolean isOver() {
        return System.nanoTime() - endsAt > 0;
    }

    /** True the first time the serial comes; any thread. */
    synchronized boolean firstTime(long serial) {
        if (!seen.add(serial)) {
            return false;
        }
        if (seen.size() > CAPACITY) {
            Iterator<Long> oldest = seen.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }
}
