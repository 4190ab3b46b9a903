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

    @Test
    void fromAlwaysToIntervalAcknowledgementsStopWaitingAndThoseWaitingStillWaitForTheDisk() throws Exception {
        writer(Sync.ALWAYS, Duration.ofHours(1));
        hold.drainPermits();
        writer.submit(() -> { });
        CountDownLatch first = new CountDownLatch(1);
        writer.whenDurable(first::countDown);
        assertTrue(entered.tryAcquire(10, TimeUnit.SECONDS), "the writer is in the commit of the first change");
        writer.submit(() -> { });
        CountDownLatch second = new CountDownLatch(1);
        writer.whenDurable(second::countDown);
        writer.sync(Sync.INTERVAL);
        assertEquals(0, writer.changesByThisThread(), "acknowledgements stop waiting");
        CountDownLatch now = new CountDownLatch(1);
        writer.whenDurable(now::countDown);
        assertEquals(0, now.getCount(), "runs at once under interval");
        assertFalse(second.await(100, TimeUnit.MILLISECONDS), "waits for its change on disk");
        hold.release(2);
        assertTrue(second.await(10, TimeUnit.SECONDS));
        assertTrue(first.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(true, true), List.of(commits.take(), commits.take()), "both forced to disk");
    }

    @Test
    void fromAlwaysToNeverWhatWaitsIsStillForcedToDisk() throws Exception {
        writer(Sync.ALWAYS, Duration.ofHours(1));
        hold.drainPermits();
        writer.submit(() -> { });
        CountDownLatch first = new CountDownLatch(1);
        writer.whenDurable(first::countDown);
        assertTrue(entered.tryAcquire(10, TimeUnit.SECONDS), "the writer is in the commit of the first change");
        writer.submit(() -> { });
        CountDownLatch second = new CountDownLatch(1);
        writer.whenDurable(second::countDown);
        writer.sync(Sync.NEVER);
        hold.release(2);
        assertTrue(second.await(10, TimeUnit.SECONDS), "not left waiting for the hour");
        assertTrue(first.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(true, true), List.of(commits.take(), commits.take()), "forced, as promised");
    }
}
