package dev.midge.persistence;

import dev.midge.config.PersistenceConfig.Sync;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import org.jboss.logging.Logger;

/**
 * The store's one writer thread. Event loops hand it changes and never wait; it applies them in order, in
 * batches, and writes each batch with one commit: under {@code sync=always} a commit forced to disk as soon
 * as an acknowledgement waits for it, so that many acknowledgements share one fsync (group commit).
 */
final class GroupCommitWriter {

    private static final Logger LOG = Logger.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH = 8192;
    private static final Object CLOSE = new Object();
    /** Makes the writer look at {@link #sync} and {@link #flushNanos} again. */
    private static final Object WAKE = new Object();

    /** Where the changes go. Called on the writer thread only. */
    interface Storage {
        /** Writes the changes applied so far; {@code force} also makes them durable (fsync). */
        void commit(boolean force);

        /** Periodic upkeep while idle: drop what expired, compact. */
        void maintain();
    }

    private record Durable(Runnable callback) {
    }

    private final Storage storage;
    private volatile Sync sync;
    private volatile long flushNanos;
    private final long maintainNanos;
    private final LongConsumer commitNanos;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final FastThreadLocal<long[]> changesByThread = new FastThreadLocal<>() {
        @Override
        protected long[] initialValue() {
            return new long[1];
        }
    };
    private final AtomicLong pending = new AtomicLong();
    private final LongAdder commits = new LongAdder();
    private final Thread thread;
    private volatile boolean closed;
    private volatile String lastError;

    GroupCommitWriter(Storage storage, Sync sync, Duration flushInterval, Duration maintainInterval,
            LongConsumer commitNanos) {
        this.storage = storage;
        this.sync = sync;
        this.flushNanos = flushInterval.toNanos();
        this.maintainNanos = maintainInterval.toNanos();
        this.commitNanos = commitNanos;
        this.thread = new Thread(this::run, "midge-store-writer");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Writes as {@code sync} asks from now on, returning at once. Acknowledgements already waiting for the disk
     * still go out only once what they acknowledge is forced to it.
     */
    void sync(Sync sync) {
        this.sync = sync;
        queue.add(WAKE);
    }

    /** Writes within this interval from now on, returning at once; a writer waiting out the old one stops waiting. */
    void flushInterval(Duration interval) {
        this.flushNanos = interval.toNanos();
        queue.add(WAKE);
    }

    Sync sync() {
        return sync;
    }

    /**
     * Queues a change; it runs on the writer thread, after every change queued before it.
     *
     * @return false when the store is closed and the change dropped
     */
    boolean submit(Runnable change) {
        if (closed) {
            LOG.debugf("Store closed; change dropped");
            return false;
        }
        pending.incrementAndGet();
        queue.add(change);
        if (sync == Sync.ALWAYS) {
            changesByThread.get()[0]++;
        }
        return true;
    }

    long changesByThisThread() {
        return sync == Sync.ALWAYS ? changesByThread.get()[0] : 0;
    }

    void whenDurable(Runnable callback) {
        if (sync != Sync.ALWAYS || closed) {
            callback.run();
        } else {
            queue.add(new Durable(callback));
        }
    }

    long pendingChanges() {
        return pending.get();
    }

    long commits() {
        return commits.sum();
    }

    /** The latest write failure while writes are failing, else null. */
    String lastError() {
        return lastError;
    }

    /** Applies and writes everything queued so far, then stops the thread. */
    void close(Duration timeout) throws InterruptedException {
        closed = true;
        queue.add(CLOSE);
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            LOG.errorf("The store writer did not finish within %s; changes may be lost", timeout);
        }
    }

    private void run() {
        List<Object> batch = new ArrayList<>();
        List<Runnable> waiting = new ArrayList<>();
        boolean dirty = false;
        long lastCommit = System.nanoTime();
        long lastMaintenance = lastCommit;
        boolean closing = false;
        while (!closing) {
            long flush = flushNanos;
            long now = System.nanoTime();
            long wait = dirty ? lastCommit + flush - now : lastMaintenance + maintainNanos - now;
            Object first;
            try {
                first = wait <= 0 ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH);
            }
            for (Object item : batch) {
                if (item == CLOSE) {
                    closing = true;
                } else if (item == WAKE) {
                    continue;
                } else if (item instanceof Durable d) {
                    waiting.add(d.callback());
                } else {
                    apply((Runnable) item);
                    dirty = true;
                }
            }
            batch.clear();
            now = System.nanoTime();
            if (!dirty && !waiting.isEmpty()) {
                runAll(waiting);
            }
            // Only sync=always makes acknowledgements wait; they still do after a switch to another mode.
            boolean due = closing || now - lastCommit >= flush || !waiting.isEmpty();
            if (dirty && due) {
                if (commit(closing || sync != Sync.NEVER || !waiting.isEmpty())) {
                    dirty = false;
                    runAll(waiting);
                }
                lastCommit = System.nanoTime();
            }
            if (!dirty && !closing && now - lastMaintenance >= maintainNanos) {
                maintain();
                lastMaintenance = System.nanoTime();
                dirty = true;
            }
        }
        runAll(waiting);
    }

    private void apply(Runnable change) {
        pending.decrementAndGet();
        try {
            change.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "A store change failed and was skipped");
        }
    }

    private boolean commit(boolean force) {
        long start = System.nanoTime();
        try {
            storage.commit(force);
            commits.increment();
            commitNanos.accept(System.nanoTime() - start);
            if (lastError != null) {
                LOG.infof("Store writes succeed again");
                lastError = null;
            }
            return true;
        } catch (RuntimeException e) {
            if (lastError == null) {
                LOG.errorf(e, "Writing the store failed; acknowledgements that wait for it are held back and the "
                        + "write is retried");
            }
            lastError = String.valueOf(e.getMessage());
            return false;
        }
    }

    private void maintain() {
        try {
            storage.maintain();
        } catch (RuntimeException e) {
            LOG.warnf(e, "Store maintenance failed; retried at the next interval");
        }
    }

    private static void runAll(List<Runnable> callbacks) {
        for (Runnable callback : callbacks) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "A durability callback failed");
            }
        }
        callbacks.clear();
    }
}
