package dev.midge.management;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.DefaultEventLoopGroup;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The liveness check against loops of its own, one of which the test wedges. */
@Timeout(30)
class EventLoopLivenessTest {

    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
    private final EventLoopLiveness liveness = new EventLoopLiveness(loops, Duration.ofMillis(300));

    @AfterEach
    void shutDown() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void upWhileEveryLoopRunsItsProbe() {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            HealthCheckResponse response = liveness.call();
            assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
            assertEquals(2L, response.getData().orElseThrow().get("event-loops"));
        });
    }

    @Test
    void downWhileALoopIsWedgedAndUpOnceItRecovers() {
        CountDownLatch release = new CountDownLatch(1);
        loops.next().execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                HealthCheckResponse response = liveness.call();
                assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
                assertEquals(1L, response.getData().orElseThrow().get("wedged"));
            });
        } finally {
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> liveness.call().getStatus() == HealthCheckResponse.Status.UP);
    }
}
