package dev.midge.transport;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts open connections against a limit, the broker's or a listener's; -1 means no limit. */
final class ConnectionLimiter {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimiter(int max) {
        this.max = max;
    }

    boolean tryAcquire() {
        if (max < 0) {
            open.incrementAndGet();
            return true;
        }
        while (true) {
            int current = open.get();
            if (current >= max) {
                return false;
            }
            if (open.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    int max() {
        return max;
    }

    void release() {
        open.decrementAndGet();
    }

    int open() {
        return open.get();
    }
}
