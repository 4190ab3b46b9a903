package dev.midge.cluster;

import com.hazelcast.internal.util.ConcurrencyUtil;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the engine runs the callbacks of its futures. By default that is the JVM's common pool, but with one or
 * two CPUs (a small pod) the common pool has a parallelism of 1, and then the engine, like CompletableFuture,
 * starts a new thread for every callback: six thread starts per durable delivery between two nodes, which made
 * such a delivery cost about 1 ms of CPU (bench/cluster.sh counts the starts). On such a JVM the engine gets a
 * pool that keeps threads for reuse instead. It stays unbounded, as the thread-per-callback executor was: a
 * callback may block on the engine in turn, and a bounded pool could then wait on itself.
 */
final class EngineCallbacks {

    private static final Executor POOL = newPool();

    private EngineCallbacks() {
    }

    /** Gives the engine the reusing pool when the common pool would not serve it; once per JVM is enough. */
    static synchronized void install() {
        if (ForkJoinPool.getCommonPoolParallelism() <= 1 && ConcurrencyUtil.getDefaultAsyncExecutor() != POOL) {
            ConcurrencyUtil.setDefaultAsyncExecutor(POOL);
        }
    }

    private static Executor newPool() {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread thread = new Thread(r, "midge-engine-callback-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }
}
