package dev.midge.protocol;

import static dev.midge.protocol.SmallLimitsProfile.MAX_CONNECTIONS;
import static dev.midge.protocol.SmallLimitsProfile.MAX_INFLIGHT_MESSAGES;
import static dev.midge.protocol.SmallLimitsProfile.MAX_PACKET_SIZE;
import static dev.midge.protocol.SmallLimitsProfile.MAX_QUEUED_MESSAGES;
import static dev.midge.testing.RawMqttClient.PUBACK;
import static dev.midge.testing.RawMqttClient.PUBLISH;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.session.Session;
import dev.midge.session.SessionRegistry;
import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.Mqtt3Clients.Client;
import dev.midge.testing.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The configured limits, with {@link SmallLimitsProfile}. */
@QuarkusTest
@TestProfile(SmallLimitsProfile.class)
@Timeout(60)
class LimitsTest extends BrokerTestBase {

    @Inject
    SessionRegistry sessions;

    @Test
    void anOfflineSessionQueuesUpToMaxQueuedMessagesAndCountsTheRest() throws Exception {
        RawMqttClient sub = raw();
        sub.connectAccepted("limits-queue", false);
        sub.subscribe(1, "limits/queue", 1);
        sub.subAck(1);
        sub.disconnect();
        assertTrue(sub.closedWithin(5_000));
        long dropped = stats.droppedQueueFull();
        Client pub = mqtt3.connect("limits-queue-pub");
        int published = MAX_QUEUED_MESSAGES + 3;
        for (int i = 0; i < published; i++) {
            pub.publish("limits/queue", "m" + i, 1, false);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> stats.droppedQueueFull() - dropped >= 3);

        RawMqttClient back = raw();
        assertTrue(back.connectAccepted("limits-queue", false), "session present");
        List<String> got = new ArrayList<>();
        for (int i = 0; i < MAX_QUEUED_MESSAGES; i++) {
            RawMqttClient.Packet p = back.expect(PUBLISH);
            got.add(p.payload());
            back.ack(PUBACK, p.publishPacketId());
        }
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), got, "the first five, in order");
        pub.publish("limits/queue", "marker", 1, false);
        assertEquals("marker", back.expect(PUBLISH).payload(), "nothing beyond the five before the marker");
        assertEquals(3, stats.droppedQueueFull() - dropped, "three dropped and counted");
    }

    @Test
    void noMoreThanMaxInflightMessagesAreUnacknowledged() throws Exception {
        RawMqttClient sub = raw();
        sub.connectAccepted("limits-inflight", true);
        sub.subscribe(1, "limits/inflight", 1);
        sub.subAck(1);
        Client pub = mqtt3.connect("limits-inflight-pub");
        for (int i = 0; i < MAX_INFLIGHT_MESSAGES + 2; i++) {
            // Returns on PUBACK: the broker has routed the message to the subscriber's session.
            pub.publish("limits/inflight", "m" + i, 1, false);
        }
        RawMqttClient.Packet first = sub.expect(PUBLISH);
        RawMqttClient.Packet second = sub.expect(PUBLISH);
        assertEquals(List.of("m0", "m1"), List.of(first.payload(), second.payload()));
        // Everything was routed before this PINGREQ: a third PUBLISH would come before the PINGRESP.
        sub.ping();
        sub.ack(PUBACK, first.publishPacketId());
        assertEquals("m2", sub.expect(PUBLISH).payload(), "one more after one acknowledgement");
        sub.ping();
        sub.ack(PUBACK, second.publishPacketId());
        assertEquals("m3", sub.expect(PUBLISH).payload());
    }

    @Test
    void connectionsBeyondMaxConnectionsAreRefused() throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.connectionCount() == 0);
        long refused = stats.connectionsRefused();
        List<RawMqttClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                RawMqttClient client = new RawMqttClient(listener.port());
                open.add(client);
                client.connectAccepted("limits-conn-" + i, true);
            }
            RawMqttClient extra = raw();
            try {
                extra.connect("limits-conn-extra", true, 60);
            } catch (IOException e) {
                // Already closed by the server: what the read below expects anyway.
            }
            assertTrue(extra.closedWithoutAnswerWithin(5_000), "over the limit: closed with no CONNACK");
            assertTrue(stats.connectionsRefused() > refused, "counted");
        } finally {
            for (RawMqttClient client : open) {
                client.close();
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.connectionCount() == 0);
        assertTrue(mqtt3.connect("limits-conn-after").isConnected(), "room again once connections closed");
    }

    @Test
    void aSocketThatSendsNoConnectIsClosedAfterTheConnectTimeout() throws Exception {
        RawMqttClient silent = raw();
        long start = System.nanoTime();
        assertTrue(silent.closedWithoutAnswerWithin(5_000), "closed");
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsedMillis >= 800, "closed by the 1 s connect timeout, not at once: " + elapsedMillis + " ms");
    }

    @Test
    void aPacketOfExactlyMaxPacketSizeIsAccepted() throws Exception {
        RawMqttClient client = raw();
        client.connectAccepted("limits-size-fits", true);
        client.publish("limits/size", payloadForPacketSize(MAX_PACKET_SIZE), 1, 1, false);
        assertEquals(1, client.expect(PUBACK).packetId());
    }

    @Test
    void aPacketOverMaxPacketSizeClosesTheConnection() throws Exception {
        Client healthy = mqtt3.connect("limits-size-healthy");
        healthy.subscribe("limits/size/healthy", 1);
        RawMqttClient client = raw();
        client.connectAccepted("limits-size-over", true);
        client.publish("limits/size", payloadForPacketSize(MAX_PACKET_SIZE + 1), 1, 1, false);
        assertTrue(client.closedWithoutAnswerWithin(5_000), "closed without a PUBACK");
        mqtt3.connect("limits-size-pub").publish("limits/size/healthy", "still served", 1, false);
        assertEquals("still served", healthy.next().payload());
    }

    /**
     * A payload that makes a QoS 1 PUBLISH to "limits/size" exactly {@code size} bytes long: fixed header byte,
     * two remaining-length bytes (128..16383), topic (2 + 11 bytes), packet id (2 bytes), payload.
     */
    private static String payloadForPacketSize(int size) {
        int payload = size - 1 - 2 - (2 + "limits/size".length()) - 2;
        String s = "x".repeat(payload);
        assertEquals(size, RawMqttClient.packet(0x32, new RawMqttClient.Body().string("limits/size").bytes(0, 1)
                .raw(s.getBytes()).toBytes()).length);
        return s;
    }

    /**
     * A subscriber that reads slowly makes its publishers wait instead of losing messages: with a queue limit
     * of 5, 200 QoS 1 messages all arrive, in order, once it reads again.
     */
    @Test
    void aSlowSubscriberSlowsItsPublisherAndLosesNothing() throws Exception {
        RawMqttClient sub = raw();
        sub.connectAccepted("limits-slow-sub", true);
        sub.subscribe(1, "limits/slow", 1);
        sub.subAck(1);
        long dropped = stats.droppedQueueFull();
        // A raw publisher that waits for each PUBACK: Paho's in-flight count can lag behind PUBACKs that arrive
        // before its sender thread has recorded the PUBLISH as sent, and then refuses publishes (32202).
        RawMqttClient pub = raw();
        pub.connectAccepted("limits-fast-pub", true);
        // Its own thread: the common pool has a single worker on two cores, which another test may hold.
        CompletableFuture<Void> publisher = new CompletableFuture<>();
        Thread publishing = new Thread(() -> {
            try {
                for (int i = 0; i < 200; i++) {
                    int packetId = i + 1;
                    pub.publish("limits/slow", "m" + i, 1, packetId, false);
                    assertEquals(packetId, pub.expect(PUBACK).packetId(), "PUBACK for the message just sent");
                }
                publisher.complete(null);
            } catch (Exception e) {
                publisher.completeExceptionally(e);
            }
        }, "limits-fast-pub");
        publishing.setDaemon(true);
        publishing.start();
        Set<String> seen = new HashSet<>();
        int expected = 0;
        while (expected < 200) {
            RawMqttClient.Packet p;
            try {
                p = sub.expect(PUBLISH);
            } catch (java.net.SocketTimeoutException e) {
                String state = !publisher.isDone() ? "still publishing"
                        : publisher.isCompletedExceptionally() ? "failed: " + publisher.handle((v, t) -> t).join()
                        : "done";
                throw new AssertionError("stalled after " + expected + " messages, dropped "
                        + (stats.droppedQueueFull() - dropped) + ", publisher " + state, e);
            }
            if (seen.add(p.payload())) {
                assertEquals("m" + expected, p.payload(), "in order");
                expected++;
            }
            sub.ack(PUBACK, p.publishPacketId());
        }
        publisher.get(10, TimeUnit.SECONDS);
        assertEquals(dropped, stats.droppedQueueFull(), "nothing dropped");
    }

    /**
     * QoS 0 too: a subscriber that stops reading gets messages queued once its socket is full, which pauses the
     * publisher; when it reads again, every message arrives, in order, and none was dropped.
     */
    @Test
    void aSubscriberThatStopsReadingPausesQos0PublishersAndLosesNothing() throws Exception {
        RawMqttClient sub = raw();
        sub.connectAccepted("limits-slow0-sub", true);
        sub.subscribe(1, "limits/slow0", 0);
        sub.subAck(1);
        long dropped = stats.droppedNotWritable();
        // Enough to fill both sockets' kernel buffers, so that the broker's own buffer for the subscriber fills.
        int count = 30_000;
        String filler = "x".repeat(900);
        RawMqttClient pub = raw();
        pub.connectAccepted("limits-slow0-pub", true);
        CompletableFuture<Void> publisher = new CompletableFuture<>();
        Thread publishing = new Thread(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    pub.publish("limits/slow0", i + " " + filler, 0, 0, false);
                }
                publisher.complete(null);
            } catch (Exception e) {
                publisher.completeExceptionally(e);
            }
        }, "limits-slow0-pub");
        publishing.setDaemon(true);
        publishing.start();
        Session session = sessions.find("limits-slow0-sub").orElseThrow();
        await().atMost(Duration.ofSeconds(20)).until(() -> session.queuedCount() >= MAX_QUEUED_MESSAGES);

        for (int i = 0; i < count; i++) {
            String payload = sub.expect(PUBLISH).payload();
            assertEquals(String.valueOf(i), payload.substring(0, payload.indexOf(' ')), "in order, none missing");
        }
        publisher.get(10, TimeUnit.SECONDS);
        assertEquals(dropped, stats.droppedNotWritable(), "nothing dropped");
    }
}
