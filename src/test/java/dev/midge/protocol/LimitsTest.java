package dev.midge.protocol;

import static dev.midge.testing.RawMqttClient.PUBLISH;
import static dev.midge.testing.RawMqttClient.SUBACK;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.stats.BrokerStats;
import dev.midge.testing.PahoClients;
import dev.midge.testing.PahoClients.Client;
import dev.midge.testing.RawMqttClient;
import dev.midge.transport.MqttListener;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The configured limits, with {@link SmallLimitsProfile}. */
@QuarkusTest
@TestProfile(SmallLimitsProfile.class)
@Timeout(60)
class LimitsTest {

    @Inject
    MqttListener listener;

    @Inject
    BrokerStats stats;

    private PahoClients paho;

    @BeforeEach
    void clients() {
        paho = new PahoClients(listener.port());
    }

    @AfterEach
    void closeClients() {
        paho.close();
    }

    @Test
    void anOfflineSessionQueuesUpToMaxQueuedMessagesAndCountsTheRest() throws Exception {
        try (RawMqttClient sub = new RawMqttClient(listener.port())) {
            sub.connectAccepted("queue-limit", false);
            sub.subscribe(1, "queue/t", 1);
            sub.expect(SUBACK);
        }
        long dropped = stats.droppedQueueFull();
        Client pub = paho.connect("queue-pub");
        for (int i = 0; i < 8; i++) {
            pub.publish("queue/t", "m" + i, 1, false);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> stats.droppedQueueFull() - dropped == 3);
        try (RawMqttClient back = new RawMqttClient(listener.port())) {
            assertTrue(back.connectAccepted("queue-limit", false));
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                RawMqttClient.Packet p = back.expect(PUBLISH);
                got.add(p.payload());
                back.ack(RawMqttClient.PUBACK, p.publishPacketId());
            }
            assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), got);
            back.send((byte) 0xC0, (byte) 0x00);
            back.expect(RawMqttClient.PINGRESP);
        }
    }

    @Test
    void noMoreThanMaxInflightMessagesAreUnacknowledged() throws Exception {
        try (RawMqttClient sub = new RawMqttClient(listener.port())) {
            sub.connectAccepted("inflight-limit", true);
            sub.subscribe(1, "inflight/t", 1);
            sub.expect(SUBACK);
            Client pub = paho.connect("inflight-pub");
            for (int i = 0; i < 4; i++) {
                pub.publish("inflight/t", "m" + i, 1, false);
            }
            RawMqttClient.Packet first = sub.expect(PUBLISH);
            RawMqttClient.Packet second = sub.expect(PUBLISH);
            sub.send((byte) 0xC0, (byte) 0x00);
            sub.expect(RawMqttClient.PINGRESP);
            sub.ack(RawMqttClient.PUBACK, first.publishPacketId());
            assertEquals("m2", sub.expect(PUBLISH).payload(), "a third only after an acknowledgement");
            sub.ack(RawMqttClient.PUBACK, second.publishPacketId());
            assertEquals("m3", sub.expect(PUBLISH).payload());
        }
    }

    @Test
    void connectionsBeyondMaxConnectionsAreClosed() throws Exception {
        List<RawMqttClient> open = new ArrayList<>();
        try {
            long refused = stats.connectionsRefused();
            int free = 40 - listener.connectionCount();
            for (int i = 0; i < free; i++) {
                RawMqttClient c = new RawMqttClient(listener.port());
                open.add(c);
                c.connectAccepted("max-conn-" + i, true);
            }
            try (RawMqttClient extra = new RawMqttClient(listener.port())) {
                // Well before the 1 s connect timeout, which would close it too.
                assertTrue(extra.closedWithin(500), "over the limit: closed");
            }
            assertTrue(stats.connectionsRefused() > refused, "counted");
        } finally {
            for (RawMqttClient c : open) {
                c.close();
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.connectionCount() < 40);
        paho.connect("after-max-conn");
    }

    @Test
    void aSocketThatNeverConnectsIsClosedAfterTheConnectTimeout() throws Exception {
        try (RawMqttClient silent = new RawMqttClient(listener.port())) {
            assertTrue(silent.closedWithin(5_000));
        }
    }

    @Test
    void aPacketOverMaxPacketSizeClosesTheConnection() throws Exception {
        try (RawMqttClient client = new RawMqttClient(listener.port())) {
            client.connectAccepted("too-big", true);
            client.publish("big/t", "x".repeat(1100), 0, 0, false);
            assertTrue(client.closedWithin(5_000));
        }
        try (RawMqttClient client = new RawMqttClient(listener.port())) {
            client.connectAccepted("just-fits", true);
            client.publish("big/t", "x".repeat(1000), 1, 1, false);
            client.expect(RawMqttClient.PUBACK);
        }
    }

    /**
     * A subscriber that reads slowly makes its publishers wait instead of losing messages: with a queue limit
     * of 5, 200 QoS 1 messages all arrive, in order, once it reads again.
     */
    @Test
    void aSlowSubscriberSlowsItsPublisherAndLosesNothing() throws Exception {
        try (RawMqttClient sub = new RawMqttClient(listener.port())) {
            sub.connectAccepted("slow-sub", true);
            sub.subscribe(1, "slow/t", 1);
            sub.expect(SUBACK);
            long dropped = stats.droppedQueueFull();
            Client pub = paho.connect("fast-pub");
            Thread publisher = new Thread(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        pub.publish("slow/t", "m" + i, 1, false);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            publisher.start();
            Set<String> seen = new HashSet<>();
            int expected = 0;
            while (expected < 200) {
                RawMqttClient.Packet p = sub.expect(PUBLISH);
                if (seen.add(p.payload())) {
                    assertEquals("m" + expected, p.payload(), "in order");
                    expected++;
                }
                sub.ack(RawMqttClient.PUBACK, p.publishPacketId());
            }
            publisher.join(10_000);
            assertFalse(publisher.isAlive());
            assertEquals(dropped, stats.droppedQueueFull(), "nothing dropped");
        }
    }
}
