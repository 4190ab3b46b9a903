package dev.midge.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CryptoWorkersTest {

    private final CryptoWorkers workers = new CryptoWorkers(1, 1);

    @AfterEach
    void stop() {
        workers.stop();
    }

    @Test
    void runsTasksOnNamedDaemonThreadsAndCountsThem() throws Exception {
        CompletableFuture<Thread> thread = CompletableFuture.supplyAsync(Thread::currentThread, workers);
        Thread worker = thread.get(5, TimeUnit.SECONDS);
        assertTrue(worker.getName().startsWith("midge-crypto-"), worker.getName());
        assertTrue(worker.isDaemon());
        await().atMost(Duration.ofSeconds(5)).until(() -> workers.completed() == 1);
    }

    @Test
    void refusesWorkBeyondItsQueueInsteadOfQueueingWithoutLimit() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        workers.execute(() -> {
            busy.countDown();
            waitFor(release);
        });
        assertTrue(busy.await(5, TimeUnit.SECONDS));
        CountDownLatch queuedRan = new CountDownLatch(1);
        workers.execute(queuedRan::countDown);
        assertThrows(RejectedExecutionException.class, () -> workers.execute(() -> { }));
        assertEquals(1, workers.refused());
        release.countDown();
        assertTrue(queuedRan.await(5, TimeUnit.SECONDS), "what was queued still runs");
    }

    @Test
    void refusesWorkOnceStopped() {
        workers.stop();
        assertThrows(RejectedExecutionException.class, () -> workers.execute(() -> { }));
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
