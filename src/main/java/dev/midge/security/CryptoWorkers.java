package dev.midge.security;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * The threads that do the CPU-heavy part of logging in, so that no event loop waits for it: password hashes
 * from the password file, and the TLS handshake's delegated tasks (key exchange, signatures, certificate
 * checks). One slow hash on a loop would stall every connection of that loop for its whole duration.
 *
 * <p>One daemon thread per core at most, started on demand and ended after a minute idle, and a bounded queue
 * of {@value #QUEUE_PER_THREAD} tasks per thread. When the queue is full, {@link #execute} throws
 * {@link RejectedExecutionException} instead of queueing without limit: a login is then refused with "server
 * unavailable" and a TLS handshake fails, which a client retries, rather than every login timing out.
 */
@ApplicationScoped
public class CryptoWorkers implements Executor {

    private static final Logger LOG = Logger.getLogger(CryptoWorkers.class);
    static final int QUEUE_PER_THREAD = 256;

    private final ThreadPoolExecutor pool;
    private final LongAdder completed = new LongAdder();
    private final LongAdder refused = new LongAdder();

    public CryptoWorkers() {
        this(Runtime.getRuntime().availableProcessors(), QUEUE_PER_THREAD);
    }

    /** @param queuePerThread how many tasks may wait per thread before new ones are refused */
    public CryptoWorkers(int threads, int queuePerThread) {
        AtomicInteger number = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * queuePerThread), task -> {
                    Thread thread = new Thread(task, "midge-crypto-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Runs the task on a worker; throws {@link RejectedExecutionException} when the queue is full or stopped. */
    @Override
    public void execute(Runnable task) {
        try {
            pool.execute(() -> {
                try {
                    task.run();
                } finally {
                    completed.increment();
                }
            });
        } catch (RejectedExecutionException e) {
            refused.increment();
            LOG.debugf("Crypto work refused: %d tasks waiting", pool.getQueue().size());
            throw e;
        }
    }

    /** Tasks run to their end on a worker thread. */
    public long completed() {
        return completed.sum();
    }

    /** Tasks refused because the queue was full or the workers stopped. */
    public long refused() {
        return refused.sum();
    }

    /** Stops taking work; what runs still finishes on its daemon thread, nothing waits for it. */
    @PreDestroy
    public void stop() {
        pool.shutdownNow();
    }
}
