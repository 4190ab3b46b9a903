package dev.midge.limits;

import dev.midge.config.MemoryMarks;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The bytes of messages all sessions hold, queued and in flight, against {@code midge.limits.memory-high} and
 * {@code memory-low}: above high it is high, and publishers stop being read, until it is back at low. Each
 * message is counted as it enters a session and as it leaves it, from any thread, with one atomic add and no
 * allocation; crossing a mark costs a compare-and-set, once per crossing.
 */
public final class MemoryWatermark {

    private static final Logger LOG = Logger.getLogger(MemoryWatermark.class);
    /** Under a steady overload the marks are crossed every second or so: the log says so once a minute. */
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final AtomicLong held = new AtomicLong();
    private final AtomicBoolean high = new AtomicBoolean();
    private final Queue<Runnable> waiters = new ConcurrentLinkedQueue<>();
    private final LimitCounters counters;
    private volatile MemoryMarks marks;
    private final LogThrottle logThrottle = new LogThrottle(LOG_INTERVAL_NANOS, System::nanoTime);
    /** The crossing of the high mark that started this spell was logged, so its end is logged too. */
    private volatile boolean spellLogged;

    public MemoryWatermark(MemoryMarks marks, LimitCounters counters) {
        this.marks = marks;
        this.counters = counters;
    }

    /** A session took a message of this many bytes. */
    public void held(long bytes) {
        long total = held.addAndGet(bytes);
        MemoryMarks m = marks;
        if (total > m.high() && m.isOn() && !high.get()) {
            goHigh(total, m);
        }
    }

    /** A session let go of a message of this many bytes. */
    public void released(long bytes) {
        long total = held.addAndGet(-bytes);
        if (high.get() && total <= marks.low()) {
            goLow();
        }
    }

    /** True from passing the high mark until back at the low one. Any thread. */
    public boolean isHigh() {
        if (!high.get()) {
            return false;
        }
        MemoryMarks m = marks;
        if (!m.isOn() || held.get() <= m.low()) {
            // A release that raced with the crossing may have missed it.
            goLow();
            return false;
        }
        return true;
    }

    /** Runs the callback once the watermark is low; at once if it is. Any thread. */
    public void whenLow(Runnable callback) {
        waiters.add(callback);
        if (!isHigh()) {
            wakeWaiters();
        }
    }

    /** New marks, from a reload: the state follows them at once. */
    public void marks(MemoryMarks newMarks) {
        marks = newMarks;
        long total = held.get();
        if (newMarks.isOn() && total > newMarks.high()) {
            goHigh(total, newMarks);
        } else {
            isHigh();
        }
    }

    public MemoryMarks marks() {
        return marks;
    }

    /** Bytes of messages all sessions hold now. */
    public long heldBytes() {
        return held.get();
    }

    private void goHigh(long total, MemoryMarks m) {
        if (!high.compareAndSet(false, true)) {
            return;
        }
        counters.exceeded(LimitKind.MEMORY);
        long heldBack = logThrottle.admit();
        spellLogged = heldBack >= 0;
        if (spellLogged) {
            LOG.warnf("Sessions hold %d bytes of messages, over midge.limits.memory-high=%d: publishers are not read "
                    + "until they hold %d (midge.limits.memory-low). Logged once a minute at most; %d more "
                    + "crossings since the last line", total, m.high(), m.low(), heldBack);
        }
        // A release between the add and the flag saw the watermark low and woke no one: look again.
        isHigh();
    }

    private void goLow() {
        if (!high.compareAndSet(true, false)) {
            return;
        }
        if (spellLogged) {
            LOG.infof("Sessions hold %d bytes of messages, down to midge.limits.memory-low: publishers are read "
                    + "again", held.get());
        }
        wakeWaiters();
    }

    /** Runs the waiters there are now, not those that come meanwhile. */
    private void wakeWaiters() {
        for (int n = waiters.size(); n > 0; n--) {
            Runnable waiter = waiters.poll();
            if (waiter == null) {
                return;
            }
            waiter.run();
        }
    }
}
