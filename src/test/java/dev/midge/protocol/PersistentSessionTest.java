package dev.midge.protocol;

import static dev.midge.testing.RawMqttClient.PUBACK;
import static dev.midge.testing.RawMqttClient.PUBLISH;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.Mqtt3Clients.Client;
import dev.midge.testing.Mqtt3Clients.Received;
import dev.midge.testing.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Clean session 0 and 1 (MQTT 3.1.1 sections 3.1.2.4 and 4.4): what a session keeps across connections. */
@QuarkusTest
@Timeout(30)
class PersistentSessionTest extends BrokerTestBase {

    @Test
    void subscriptionsSurviveADisconnect() throws Exception {
        Client sub = mqtt3.connect("session-subs", false);
        assertFalse(sub.sessionPresent(), "a new client id has no session");
        sub.subscribe("session/subs", 1);
        sub.disconnect();
        Client back = mqtt3.connect("session-subs", false);
        assertTrue(back.sessionPresent(), "session present");
        mqtt3.connect("session-subs-pub").publish("session/subs", "no resubscribe needed", 1, false);
        assertEquals("no resubscribe needed", back.next().payload());
    }

    @Test
    void qos1And2PublishedWhileOfflineAreDeliveredOnReconnect() throws Exception {
        Client sub = mqtt3.connect("session-queue", false);
        sub.subscribe("session/queue", 2);
        sub.disconnect();
        Client pub = mqtt3.connect("session-queue-pub");
        pub.publish("session/queue", "q1", 1, false);
        pub.publish("session/queue", "q2", 2, false);
        Client back = mqtt3.connect("session-queue", false);
        assertEquals(new Received("session/queue", "q1", 1, false), back.next());
        assertEquals(new Received("session/queue", "q2", 2, false), back.next());
    }

    @Test
    void qos0PublishedWhileOfflineIsNotQueuedAndIsCounted() throws Exception {
        Client sub = mqtt3.connect("session-qos0", false);
        sub.subscribe("session/qos0", 1);
        sub.disconnect();
        long dropped = stats.droppedQos0Offline();
        Client pub = mqtt3.connect("session-qos0-pub");
        pub.publish("session/qos0", "lost", 0, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> stats.droppedQos0Offline() > dropped);
        Client back = mqtt3.connect("session-qos0", false);
        pub.publish("session/qos0", "marker", 1, false);
        assertEquals(List.of(), back.receivedBefore("marker"));
        assertEquals(1, stats.droppedQos0Offline() - dropped, "one QoS 0 message dropped");
    }

    @Test
    void cleanSessionDiscardsTheOldSession() throws Exception {
        Client persistent = mqtt3.connect("session-discard", false);
        persistent.subscribe("session/discard", 1);
        persistent.disconnect();
        Client pub = mqtt3.connect("session-discard-pub");
        pub.publish("session/discard", "queued for the old session", 1, false);

        Client clean = mqtt3.connect("session-discard", true);
        assertFalse(clean.sessionPresent(), "clean session: no session present");
        clean.subscribe("session/discard/marker", 1);
        pub.publish("session/discard", "for the old subscription", 1, false);
        pub.publish("session/discard/marker", "marker", 1, false);
        assertEquals(List.of(), clean.receivedBefore("marker"), "neither queued messages nor subscriptions kept");
        clean.disconnect();

        Client again = mqtt3.connect("session-discard", false);
        assertFalse(again.sessionPresent(), "the clean session ended with its connection");
    }

    @Test
    void anUnacknowledgedQos1MessageIsResentWithDupAfterReconnect() throws Exception {
        try (RawMqttClient sub = new RawMqttClient(listener.port())) {
            assertFalse(sub.connectAccepted("session-dup", false));
            sub.subscribe(1, "session/dup", 1);
            sub.subAck(1);
            mqtt3.connect("session-dup-pub").publish("session/dup", "resend me", 1, false);
            RawMqttClient.Packet first = sub.expect(PUBLISH);
            assertEquals(1, first.qos());
            assertFalse(first.dup(), "first delivery has DUP 0");
            // No PUBACK, no DISCONNECT: the socket just goes.
            sub.close();

            RawMqttClient again = raw();
            assertTrue(again.connectAccepted("session-dup", false), "session present");
            RawMqttClient.Packet resent = again.expect(PUBLISH);
            assertTrue(resent.dup(), "redelivery has DUP 1");
            assertEquals(1, resent.qos());
            assertEquals("session/dup", resent.topic());
            assertEquals("resend me", resent.payload());
            assertEquals(first.publishPacketId(), resent.publishPacketId(), "the original packet id");
            again.ack(PUBACK, resent.publishPacketId());
            again.ping();
        }
    }

    /**
     * A clean session ends with its connection, even when the client reconnects before the broker has seen that
     * connection close: the next CONNECT, on another event loop, must never find the clean session to resume.
     */
    @Test
    void aCleanSessionIsNeverResumedByAnImmediateReconnect() throws Exception {
        int rounds = 200;
        int resumed = 0;
        for (int i = 0; i < rounds; i++) {
            try (RawMqttClient clean = new RawMqttClient(listener.port())) {
                assertFalse(clean.connectAccepted("session-race", true), "clean session: no session present");
                clean.disconnect();
            }
            try (RawMqttClient persistent = new RawMqttClient(listener.port())) {
                if (persistent.connectAccepted("session-race", false)) {
                    resumed++;
                }
                persistent.disconnect();
            }
        }
        assertEquals(0, resumed, "rounds out of " + rounds + " that resumed the ended clean session");
    }
}
