package dev.midge.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.BrokerProcess;
import dev.midge.testing.RawMqttClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged broker, stopped with SIGTERM or killed with SIGKILL and started again on the same store: every
 * message it acknowledged to a publisher reaches the offline persistent subscriber after the restart, QoS 2
 * exactly once, in order; subscriptions, retained messages and QoS 2 ids awaiting release are back.
 */
@Timeout(180)
class RestartIT {

    private static final int COUNT = 50;

    private static String[] settings(Path dir) {
        return new String[] {"midge.persistence.dir=" + dir, "midge.persistence.sync=always"};
    }

    private static Path newStoreDir() {
        return Path.of("target", "restart-it", UUID.randomUUID().toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SIGTERM", "SIGKILL"})
    void everyAcknowledgedMessageSurvivesARestart(String stop) throws Exception {
        Path dir = newStoreDir();
        try (BrokerProcess first = new BrokerProcess(settings(dir))) {
            try (RawMqttClient sub = new RawMqttClient(first.port())) {
                assertFalse(sub.connectAccepted("restart-sub", false), "a new session");
                sub.subscribe(1, "q/1", 1);
                assertEquals(1, sub.subAck(1)[0]);
                sub.subscribe(2, "q/2", 2);
                assertEquals(2, sub.subAck(2)[0]);
                sub.disconnect();
            }
            try (RawMqttClient pub = new RawMqttClient(first.port())) {
                pub.connectAccepted("restart-pub", true);
                for (int i = 0; i < COUNT; i++) {
                    pub.publish("q/1", "one-" + i, 1, i + 1, false);
                    assertEquals(i + 1, pub.expect(RawMqttClient.PUBACK).packetId());
                }
                for (int i = 0; i < COUNT; i++) {
                    int id = 100 + i;
                    pub.publish("q/2", "two-" + i, 2, id, false);
                    assertEquals(id, pub.expect(RawMqttClient.PUBREC).packetId());
                    pub.ack(RawMqttClient.PUBREL, id);
                    assertEquals(id, pub.expect(RawMqttClient.PUBCOMP).packetId());
                }
                pub.publish("r/kept", "retained", 1, 999, false, true);
                assertEquals(999, pub.expect(RawMqttClient.PUBACK).packetId());
            }
            // A QoS 2 message received and acknowledged with PUBREC, whose PUBREL never came before the stop.
            try (RawMqttClient pending = new RawMqttClient(first.port())) {
                pending.connectAccepted("restart-pending", false);
                pending.publish("q/2", "exactly-once", 2, 77, false);
                assertEquals(77, pending.expect(RawMqttClient.PUBREC).packetId());
                if (stop.equals("SIGTERM")) {
                    assertEquals(0, first.stop(), "clean exit; output: " + first.output());
                } else {
                    first.kill();
                }
            }
        }

        try (BrokerProcess second = new BrokerProcess(settings(dir))) {
            assertNotNull(second.awaitLine("Recovered 2 sessions, 1 retained messages and 101 queued", 1, TimeUnit.SECONDS),
                    "recovery reports what it loaded; output: " + second.output());
            try (RawMqttClient pending = new RawMqttClient(second.port())) {
                assertTrue(pending.connectAccepted("restart-pending", false), "session present");
                // The client never saw the PUBREC, so it sends the PUBLISH again: acknowledged, not routed twice.
                pending.publish("q/2", "exactly-once", 2, 77, true);
                assertEquals(77, pending.expect(RawMqttClient.PUBREC).packetId());
                pending.ack(RawMqttClient.PUBREL, 77);
                assertEquals(77, pending.expect(RawMqttClient.PUBCOMP).packetId());
            }
            try (RawMqttClient sub = new RawMqttClient(second.port())) {
                assertTrue(sub.connectAccepted("restart-sub", false), "session present");
                List<String> ones = new ArrayList<>();
                List<String> twos = new ArrayList<>();
                Set<Integer> released = new HashSet<>();
                try (RawMqttClient marker = new RawMqttClient(second.port())) {
                    marker.connectAccepted("restart-marker", true);
                    while (ones.size() < COUNT + 1 || twos.size() < COUNT + 1) {
                        RawMqttClient.Packet p = sub.read();
                        if (p.type() == RawMqttClient.PUBREL) {
                            assertTrue(released.add(p.packetId()), "one PUBREL per id");
                            sub.ack(RawMqttClient.PUBCOMP, p.packetId());
                            continue;
                        }
                        assertEquals(RawMqttClient.PUBLISH, p.type(), "got " + p);
                        if (p.topic().equals("q/1")) {
                            ones.add(p.payload());
                            sub.ack(RawMqttClient.PUBACK, p.publishPacketId());
                        } else {
                            twos.add(p.payload());
                            sub.ack(RawMqttClient.PUBREC, p.publishPacketId());
                        }
                        if (ones.size() == COUNT && twos.size() == COUNT + 1) {
                            // Everything stored has arrived; this one proves the subscription itself is back.
                            marker.publish("q/1", "after-restart", 1, 1, false);
                            marker.expect(RawMqttClient.PUBACK);
                        }
                    }
                }
                List<String> expectedOnes = new ArrayList<>();
                List<String> expectedTwos = new ArrayList<>();
                for (int i = 0; i < COUNT; i++) {
                    expectedOnes.add("one-" + i);
                    expectedTwos.add("two-" + i);
                }
                expectedOnes.add("after-restart");
                expectedTwos.add("exactly-once");
                assertEquals(expectedOnes, ones, "QoS 1: all of them, in order, then the live one");
                assertEquals(expectedTwos, twos, "QoS 2: each exactly once, in order");
            }
            try (RawMqttClient late = new RawMqttClient(second.port())) {
                late.connectAccepted("restart-late", true);
                late.subscribe(1, "r/#", 1);
                late.subAck(1);
                RawMqttClient.Packet retained = late.expect(RawMqttClient.PUBLISH);
                assertEquals("r/kept", retained.topic());
                assertEquals("retained", retained.payload());
                assertTrue(retained.retain());
            }
        }
    }

    @Test
    void aQos2MessageInFlightToTheSubscriberIsResumedUnderItsPacketId() throws Exception {
        Path dir = newStoreDir();
        int packetId;
        try (BrokerProcess first = new BrokerProcess(settings(dir))) {
            try (RawMqttClient sub = new RawMqttClient(first.port());
                    RawMqttClient pub = new RawMqttClient(first.port())) {
                sub.connectAccepted("inflight-sub", false);
                sub.subscribe(1, "f/1", 2);
                sub.subAck(1);
                pub.connectAccepted("inflight-pub", true);
                pub.publish("f/1", "first", 2, 1, false);
                pub.expect(RawMqttClient.PUBREC);
                pub.ack(RawMqttClient.PUBREL, 1);
                pub.expect(RawMqttClient.PUBCOMP);
                pub.publish("f/1", "second", 2, 2, false);
                pub.expect(RawMqttClient.PUBREC);
                pub.ack(RawMqttClient.PUBREL, 2);
                pub.expect(RawMqttClient.PUBCOMP);
                RawMqttClient.Packet first1 = sub.expect(RawMqttClient.PUBLISH);
                assertEquals("first", first1.payload());
                packetId = first1.publishPacketId();
                // The first is received (PUBREC sent, PUBREL back) but never completed; the second is unanswered.
                sub.ack(RawMqttClient.PUBREC, packetId);
                RawMqttClient.Packet next = sub.read();
                RawMqttClient.Packet rel = next.type() == RawMqttClient.PUBREL ? next : sub.expect(RawMqttClient.PUBREL);
                assertEquals(packetId, rel.packetId());
            }
            assertEquals(0, first.stop());
        }
        try (BrokerProcess second = new BrokerProcess(settings(dir));
                RawMqttClient sub = new RawMqttClient(second.port())) {
            assertTrue(sub.connectAccepted("inflight-sub", false));
            RawMqttClient.Packet rel = sub.expect(RawMqttClient.PUBREL);
            assertEquals(packetId, rel.packetId(), "the released one: PUBREL again, under the same id");
            RawMqttClient.Packet again = sub.expect(RawMqttClient.PUBLISH);
            assertEquals("second", again.payload());
            assertTrue(again.dup(), "the unanswered one: resent with DUP");
        }
    }
}
