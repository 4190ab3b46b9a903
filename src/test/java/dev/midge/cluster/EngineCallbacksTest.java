package dev.midge.cluster;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.internal.util.ConcurrencyUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The engine's future callbacks never get a thread of their own each, whatever the number of CPUs. */
class EngineCallbacksTest {

    @Test
    void theEngineRunsCallbacksOnReusedThreadsOrTheCommonPool() throws Exception {
        EngineCallbacks.install();
        Executor executor = ConcurrencyUtil.getDefaultAsyncExecutor();
        if (ForkJoinPool.getCommonPoolParallelism() > 1) {
            assertSame(ForkJoinPool.commonPool(), executor, "a common pool that serves is left to the engine");
            return;
        }
        assertTrue(executor instanceof ThreadPoolExecutor pool && pool.getKeepAliveTime(TimeUnit.SECONDS) > 0,
                "one or two CPUs: a pool that keeps its threads, not a thread per callback: " + executor);
        CompletableFuture<String> ran = new CompletableFuture<>();
        executor.execute(() -> ran.complete(Thread.currentThread().getName()));
        assertTrue(ran.get(10, TimeUnit.SECONDS).startsWith("midge-engine-callback-"));
        EngineCallbacks.install();
        assertSame(executor, ConcurrencyUtil.getDefaultAsyncExecutor(), "installed once");
    }
}
