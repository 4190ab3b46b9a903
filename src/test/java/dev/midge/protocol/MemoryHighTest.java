package dev.midge.protocol;

import static dev.midge.testing.RawMqttClient.PUBACK;
import static dev.midge.testing.RawMqttClient.PUBLISH;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.limits.LimitKind;
import dev.midge.limits.Limits;
import dev.midge.session.SessionRegistry;
import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Above {@code midge.limits.memory-high} publishers are not read: an offline session fills past the mark, its
 * publisher's PUBLISHes stop being acknowledged, readiness says so; once the subscriber is back and drains,
 * the publisher goes on and every message arrives, in order.
 */
@QuarkusTest
@TestProfile(MemoryHighTest.Profile.class)
@Timeout(90)
class MemoryHighTest extends BrokerTestBase {

    private static final int COUNT = 100;
    private static final String FILLER = "x".repeat(1000);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("midge.limits.memory-high", "20K", "midge.limits.memory-low", "10K",
                    "midge.max-queued-messages", "1000");
        }
    }

    @Inject
    Limits limits;

    @Inject
    SessionRegistry sessions;

    @Test
    void aPublisherWaitsAboveTheMarkAndNothingIsLost() throws Exception {
        offlineSubscriber("mem-sub", "mem/data");
        long entries = limits.counters().count(LimitKind.MEMORY);

        RawMqttClient pub = raw();
        pub.connectAccepted("mem-pub", true);
        AtomicInteger acked = new AtomicInteger();
        CompletableFuture<Void> acks = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 1; i <= COUNT; i++) {
                    assertEquals(i, pub.expect(PUBACK).packetId(), "PUBACKs in order");
                    acked.incrementAndGet();
                }
            } catch (Exception e) {
                throw new AssertionError("the publisher got " + acked.get() + " PUBACKs", e);
            }
        }, runnable -> new Thread(runnable, "mem-pub-acks").start());
        for (int i = 1; i <= COUNT; i++) {
            pub.publish("mem/data", i + " " + FILLER, 1, i, false);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> limits.memory().isHigh());
        // The publisher is not read: what is held stays put, and its remaining PUBLISHes go unacknowledged.
        long held = limits.memory().heldBytes();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> limits.memory().heldBytes() == held && acked.get() < COUNT);
        assertTrue(held > 20 * 1024, "past the mark: " + held);
        assertEquals(entries + 1, limits.counters().count(LimitKind.MEMORY), "one entry into the high state");
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'memory' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'memory' }.data.state", equalTo("high"))
                .body("checks.find { it.name == 'memory' }.data.highBytes", equalTo(20 * 1024));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("midge_limit_exceeded_total{limit=\"memory\"} " + (entries + 1) + ".0"))
                .body(containsString("# TYPE midge_session_held_bytes gauge"));

        RawMqttClient back = raw();
        back.connect("mem-sub", false, 60).connAck();
        for (int i = 1; i <= COUNT; i++) {
            RawMqttClient.Packet message = back.expect(PUBLISH);
            String payload = message.payload();
            assertEquals(String.valueOf(i), payload.substring(0, payload.indexOf(' ')), "every message, in order");
            back.ack(PUBACK, message.publishPacketId());
        }
        acks.get(30, TimeUnit.SECONDS);
        assertEquals(COUNT, acked.get());
        await().atMost(Duration.ofSeconds(10)).until(() -> limits.memory().heldBytes() == 0);
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'memory' }.data.state", equalTo("normal"));
    }

    @Test
    void aPublisherThatSubscribesToItselfGoesOnReadingItsAcknowledgements() throws Exception {
        RawMqttClient client = raw();
        client.connectAccepted("mem-self", true);
        client.subscribe(1, "mem/self", 1);
        client.subAck(1);
        AtomicInteger received = new AtomicInteger();
        CompletableFuture<Void> reading = readUntil(client, received, COUNT, COUNT);
        for (int i = 1; i <= COUNT; i++) {
            client.publish("mem/self", i + " " + FILLER, 1, i, false);
        }
        // Its own messages are what the sessions hold: pausing it would keep their PUBACKs unread for ever.
        reading.get(30, TimeUnit.SECONDS);
        assertEquals(COUNT, received.get());
        await().atMost(Duration.ofSeconds(10)).until(() -> limits.memory().heldBytes() == 0);
    }

    @Test
    void aPausedPublisherReadsTheAcknowledgementsOfWhatItIsSentMeanwhile() throws Exception {
        offlineSubscriber("mem-offline", "mem/backlog");
        RawMqttClient both = raw();
        both.connectAccepted("mem-both", true);
        both.subscribe(1, "mem/to-both", 1);
        both.subAck(1);
        AtomicInteger received = new AtomicInteger();
        int others = 3;
        CompletableFuture<Void> reading = readUntil(both, received, others, COUNT);
        for (int i = 1; i <= COUNT; i++) {
            both.publish("mem/backlog", i + " " + FILLER, 1, i, false);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> limits.memory().isHigh());
        // Paused itself, it is sent more than memory-low's worth by others: only its PUBACKs can release that.
        for (int i = 0; i < others; i++) {
            RawMqttClient other = raw();
            other.connectAccepted("mem-other-" + i, true);
            other.publish("mem/to-both", "x".repeat(6000), 1, 1, false);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == others);

        RawMqttClient back = raw();
        back.connect("mem-offline", false, 60).connAck();
        for (int i = 1; i <= COUNT; i++) {
            RawMqttClient.Packet message = back.expect(PUBLISH);
            back.ack(PUBACK, message.publishPacketId());
        }
        reading.get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> limits.memory().heldBytes() == 0);
    }

    /** A session that subscribes at QoS 1 and goes away, to hold what it is sent. */
    private void offlineSubscriber(String clientId, String filter) throws Exception {
        RawMqttClient sub = raw();
        sub.connectAccepted(clientId, false);
        sub.subscribe(1, filter, 1);
        sub.subAck(1);
        sub.disconnect();
        await().atMost(Duration.ofSeconds(10)).until(() -> !sessions.find(clientId).orElseThrow().isOnline());
    }

    /**
     * Reads on another thread, acknowledging each PUBLISH, until {@code messages} PUBLISHes and {@code acks}
     * PUBACKs have come; {@code received} counts the PUBLISHes.
     */
    private static CompletableFuture<Void> readUntil(RawMqttClient client, AtomicInteger received, int messages,
            int acks) {
        AtomicInteger acked = new AtomicInteger();
        return CompletableFuture.runAsync(() -> {
            try {
                while (received.get() < messages || acked.get() < acks) {
                    RawMqttClient.Packet packet = client.read();
                    if (packet.type() == PUBLISH) {
                        client.ack(PUBACK, packet.publishPacketId());
                        received.incrementAndGet();
                    } else if (packet.type() == PUBACK) {
                        acked.incrementAndGet();
                    }
                }
            } catch (Exception e) {
                throw new AssertionError("received " + received.get() + ", acknowledged " + acked.get(), e);
            }
        }, runnable -> new Thread(runnable, "mem-reader").start());
    }
}
