package dev.midge.protocol;

import static dev.midge.testing.RawMqttClient.PUBLISH;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.bridge.IntegrationsProfile;
import dev.midge.session.SessionRegistry;
import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A subscriber that stops reading pauses its publishers only for {@code midge.slow-subscriber-timeout}: then its
 * connection is closed and the publishers go on, and a subscriber that reads gets every message. The timeout (1 s)
 * and a queue of 5 messages are set in {@link IntegrationsProfile}, whose application start this test shares.
 */
@QuarkusTest
@TestProfile(IntegrationsProfile.class)
@Timeout(90)
class SlowSubscriberTest extends BrokerTestBase {

    private static final int COUNT = 30_000;

    @Inject
    SessionRegistry sessions;

    @Test
    void aSubscriberThatStopsReadingIsDisconnectedAndNoLongerHoldsItsPublisher() throws Exception {
        RawMqttClient stuck = raw();
        stuck.connectAccepted("slow-stuck", true);
        stuck.subscribe(1, "slow/data", 0);
        stuck.subAck(1);
        RawMqttClient reader = raw();
        reader.connectAccepted("slow-reader", true);
        reader.subscribe(1, "slow/data", 0);
        reader.subAck(1);
        long disconnected = stats.slowSubscribersDisconnected();

        AtomicInteger received = new AtomicInteger();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < COUNT; i++) {
                    String payload = reader.expect(PUBLISH).payload();
                    assertEquals(String.valueOf(i), payload.substring(0, payload.indexOf(' ')),
                            () -> "in order; dropped as not writable " + stats.droppedNotWritable() + ", queue full "
                                    + stats.droppedQueueFull());
                    received.incrementAndGet();
                }
            } catch (Exception e) {
                throw new AssertionError("the reading subscriber got " + received.get() + " messages", e);
            }
        }, runnable -> new Thread(runnable, "slow-reader").start());
        // Enough to fill the stuck subscriber's socket buffers several times over.
        RawMqttClient pub = raw();
        pub.connectAccepted("slow-pub", true);
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            String filler = "x".repeat(900);
            try {
                for (int i = 0; i < COUNT; i++) {
                    pub.publish("slow/data", i + " " + filler, 0, 0, false);
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, runnable -> new Thread(runnable, "slow-pub").start());

        publishing.get(60, TimeUnit.SECONDS);
        reading.get(30, TimeUnit.SECONDS);
        assertEquals(COUNT, received.get(), "the subscriber that reads lost nothing");
        await().atMost(Duration.ofSeconds(10)).until(() -> sessions.find("slow-stuck").isEmpty());
        assertEquals(disconnected + 1, stats.slowSubscribersDisconnected(), "counted once");
    }
}
