package dev.midge.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.config.PersistenceConfig.Sync;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A SIGHUP changes how the writer writes while it runs, and what already waits for the disk still waits. */
@Timeout(30)
class GroupCommitWriterTest {

    /** Each commit's {@code force}, in order; {@link #hold} keeps the writer inside a commit it has entered. */
    private final BlockingQueue<Boolean> commits = new LinkedBlockingQueue<>();
    private final Semaphore entered = new Semaphore(0);
    private final Semaphore hold = new Semaphore(1_000);
    private GroupCommitWriter writer;

    private GroupCommitWriter writer(Sync sync, Duration flushInterval) {
        writer = new GroupCommitWriter(new GroupCommitWriter.Storage() {
            @Override
            public void commit(boolean force) {
                entered.release();
                hold.acquireUninterruptibly();
                commits.add(force);
            }

            @Override
            public void maintain() {
            }
        }, sync, flushInterval, Duration.ofHours(1), nanos -> { });
        writer.start();
        return writer;
    }

    @AfterEach
    void close() throws InterruptedException {
        hold.release(1_000);
        writer.close(Duration.ofSeconds(5));
    }

    @Test
    void aShorterIntervalCountsAtOnceForAWriterWaitingOutTheLongerOne() throws InterruptedException {
        writer(Sync.INTERVAL, Duration.ofHours(1));
        writer.submit(() -> { });
        assertEquals(null, commits.poll(200, TimeUnit.MILLISECONDS), "nothing written within the hour");
        writer.flushInterval(Duration.ofMillis(10));
        assertEquals(Boolean.TRUE, commits.poll(10, TimeUnit.SECONDS), "written, and forced, at the new interval");
        assertEquals(Sync.INTERVAL, writer.sync());
    }

    /** Checks made while the writer is held in its first commit. */
    private interface WhileHeld {
        void check(CountDownLatch secondAcknowledgement) throws Exception;
    }

    /**
     * Under {@code sync=always}, switches to {@code to} while an acknowledgement waits for the commit the writer
     * is held in and a second one is queued behind it; then lets the writer go: both go out, each only after
     * what it acknowledges was forced to disk.
     */
    private void switchWhileTwoWait(Sync to, WhileHeld whileHeld) throws Exception {
        writer(Sync.ALWAYS, Duration.ofHours(1));
        hold.drainPermits();
        writer.submit(() -> { });
        CountDownLatch first = new CountDownLatch(1);
        writer.whenDurable(first::countDown);
        assertTrue(entered.tryAcquire(10, TimeUnit.SECONDS), "the writer is in the commit of the first change");
        writer.submit(() -> { });
        CountDownLatch second = new CountDownLatch(1);
        writer.whenDurable(second::countDown);
        writer.sync(to);
        whileHeld.check(second);
        hold.release(2);
        assertTrue(second.await(10, TimeUnit.SECONDS), "not left waiting for the hour");
        assertTrue(first.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(true, true), List.of(commits.take(), commits.take()), "both forced to disk");
    }

    @Test
    void fromAlwaysToIntervalAcknowledgementsStopWaitingAndThoseWaitingStillWaitForTheDisk() throws Exception {
        switchWhileTwoWait(Sync.INTERVAL, second -> {
            assertEquals(0, writer.changesByThisThread(), "acknowledgements stop waiting");
            CountDownLatch now = new CountDownLatch(1);
            writer.whenDurable(now::countDown);
            assertEquals(0, now.getCount(), "runs at once under interval");
            assertFalse(second.await(100, TimeUnit.MILLISECONDS), "waits for its change on disk");
        });
    }

    @Test
    void fromAlwaysToNeverWhatWaitsIsStillForcedToDisk() throws Exception {
        switchWhileTwoWait(Sync.NEVER, second -> { });
    }
}
