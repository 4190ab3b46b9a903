package dev.midge.protocol;

import static dev.midge.testing.RawMqttClient.CONNACK;
import static dev.midge.testing.RawMqttClient.PINGRESP;
import static dev.midge.testing.RawMqttClient.PUBCOMP;
import static dev.midge.testing.RawMqttClient.PUBLISH;
import static dev.midge.testing.RawMqttClient.PUBREC;
import static dev.midge.testing.RawMqttClient.PUBREL;
import static dev.midge.testing.RawMqttClient.SUBACK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.stats.BrokerStats;
import dev.midge.testing.PahoClients;
import dev.midge.testing.PahoClients.Client;
import dev.midge.testing.PahoClients.Received;
import dev.midge.testing.RawMqttClient;
import dev.midge.transport.MqttListener;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** MQTT 3.1 and 3.1.1 behaviour with real clients over real sockets. */
@QuarkusTest
@Timeout(30)
class Mqtt3ProtocolTest {

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

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void publishAndSubscribeAtEachQos(int qos) throws Exception {
        Client sub = paho.connect("rt-sub-" + qos);
        sub.subscribe("rt/" + qos, qos);
        Client pub = paho.connect("rt-pub-" + qos);
        pub.publish("rt/" + qos, "hello " + qos, qos, false);
        Received r = sub.next();
        assertEquals(new Received("rt/" + qos, "hello " + qos, qos, false, false), r);
    }

    @Test
    void mqtt31ClientConnectsWithMQIsdp() throws Exception {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1);
        Client old = paho.connect("v31-client", options);
        old.subscribe("v31/t", 1);
        old.publish("v31/t", "from 3.1", 1, false);
        assertEquals("from 3.1", old.next().payload());
    }

    @ParameterizedTest
    @CsvSource({"2, 1, 1", "0, 2, 0", "1, 0, 0", "2, 2, 2"})
    void deliveredAtTheLowerOfPublishedAndGrantedQos(int published, int granted, int delivered) throws Exception {
        String topic = "down/" + published + granted;
        Client sub = paho.connect("down-sub-" + published + granted);
        sub.subscribe(topic, granted);
        paho.connect("down-pub-" + published + granted).publish(topic, "x", published, false);
        assertEquals(delivered, sub.next().qos());
    }

    @Test
    void overlappingSubscriptionsDeliverOnceAtTheHighestQos() throws Exception {
        Client sub = paho.connect("overlap-sub");
        sub.subscribe("overlap/#", 0);
        sub.subscribe("overlap/a", 2);
        Client pub = paho.connect("overlap-pub");
        pub.publish("overlap/a", "once", 2, false);
        pub.publish("overlap/a", "marker", 2, false);
        Received first = sub.next();
        assertEquals("once", first.payload());
        assertEquals(2, first.qos());
        assertEquals("marker", sub.next().payload());
    }

    @Test
    void wildcardsMatchAndUnsubscribeStopsDelivery() throws Exception {
        Client sub = paho.connect("wild-sub");
        sub.subscribe("wild/+/c", 1);
        sub.subscribe("wild/x/#", 1);
        Client pub = paho.connect("wild-pub");
        pub.publish("wild/b/c", "plus", 1, false);
        assertEquals("wild/b/c", sub.next().topic());
        pub.publish("wild/x", "parent", 1, false);
        assertEquals("wild/x", sub.next().topic());
        sub.mqtt.unsubscribe("wild/+/c");
        pub.publish("wild/b/c", "after unsubscribe", 1, false);
        pub.publish("wild/x/y", "marker", 1, false);
        assertEquals("marker", sub.next().payload());
    }

    @Test
    void retainedMessagesAreStoredReplacedAndCleared() throws Exception {
        Client pub = paho.connect("ret-pub");
        pub.publish("ret/t", "first", 1, true);
        pub.publish("ret/t", "second", 1, true);
        Client sub = paho.connect("ret-sub");
        sub.subscribe("ret/#", 1);
        Received stored = sub.next();
        assertEquals("second", stored.payload());
        assertTrue(stored.retained(), "retain flag 1 from the store");
        pub.publish("ret/t", "live", 1, true);
        Received live = sub.next();
        assertEquals("live", live.payload());
        assertFalse(live.retained(), "retain flag 0 on a live forward");
        pub.publish("ret/t", "", 1, true);
        assertEquals("", sub.next().payload());
        Client late = paho.connect("ret-late");
        late.subscribe("ret/#", 1);
        pub.publish("ret/marker", "marker", 1, false);
        assertEquals("marker", late.next().payload(), "the cleared retained message is gone");
    }

    @Test
    void wildcardsDoNotMatchDollarTopicsAtTheFirstLevel() throws Exception {
        Client all = paho.connect("dollar-all");
        all.subscribe("#", 0);
        all.subscribe("+/x", 0);
        Client dollar = paho.connect("dollar-own");
        dollar.subscribe("$foo/#", 0);
        Client pub = paho.connect("dollar-pub");
        pub.publish("$foo/x", "dollar", 0, false);
        assertEquals("$foo/x", dollar.next().topic());
        pub.publish("dollarmarker/x", "marker", 0, false);
        Received r = all.next();
        while (!r.payload().equals("marker")) {
            assertFalse(r.topic().startsWith("$"), "wildcard matched " + r.topic());
            r = all.next();
        }
    }

    @Test
    void persistentSessionKeepsSubscriptionsAndQueuesQos1And2() throws Exception {
        Client sub = paho.connect("persist-sub", false);
        sub.subscribe("persist/t", 2);
        sub.mqtt.disconnect();
        long qos0Dropped = stats.droppedQos0Offline();
        Client pub = paho.connect("persist-pub");
        pub.publish("persist/t", "q0", 0, false);
        pub.publish("persist/t", "q1", 1, false);
        pub.publish("persist/t", "q2", 2, false);
        assertTrue(stats.droppedQos0Offline() > qos0Dropped, "QoS 0 to an offline session is counted");
        Client back = paho.connect("persist-sub", false);
        assertTrue(back.mqtt.isConnected());
        assertEquals("q1", back.next().payload());
        assertEquals("q2", back.next().payload());
        pub.publish("persist/t", "marker", 1, false);
        assertEquals("marker", back.next().payload());
    }

    @Test
    void cleanSessionDiscardsThePreviousSession() throws Exception {
        try (RawMqttClient first = new RawMqttClient(listener.port())) {
            assertFalse(first.connectAccepted("clean-test", false));
            first.subscribe(1, "clean/t", 1);
            first.expect(SUBACK);
        }
        try (RawMqttClient persistent = new RawMqttClient(listener.port())) {
            assertTrue(persistent.connectAccepted("clean-test", false), "session present");
        }
        try (RawMqttClient clean = new RawMqttClient(listener.port())) {
            assertFalse(clean.connectAccepted("clean-test", true), "clean session: no session present");
            clean.publish("clean/t", "nobody", 1, 5, false);
            clean.expect(RawMqttClient.PUBACK);
            clean.publish("clean-marker", "m", 0, 0, false);
            clean.subscribe(2, "clean-marker2", 0);
            clean.expect(SUBACK);
        }
    }

    @Test
    void aSecondConnectionWithTheSameClientIdTakesOver() throws Exception {
        try (RawMqttClient first = new RawMqttClient(listener.port());
                RawMqttClient second = new RawMqttClient(listener.port())) {
            first.connectAccepted("takeover", true);
            second.connectAccepted("takeover", true);
            assertTrue(first.closedWithin(5_000), "the older connection is closed");
            second.send((byte) 0xC0, (byte) 0x00);
            second.expect(PINGRESP);
        }
    }

    @Test
    void qos2IsDeliveredExactlyOnceWhenThePublishIsResent() throws Exception {
        Client sub = paho.connect("eo-sub");
        sub.subscribe("eo/t", 2);
        try (RawMqttClient pub = new RawMqttClient(listener.port())) {
            pub.connectAccepted("eo-pub", true);
            pub.publish("eo/t", "exactly once", 2, 7, false);
            assertEquals(7, pub.expect(PUBREC).packetId());
            pub.publish("eo/t", "exactly once", 2, 7, true);
            assertEquals(7, pub.expect(PUBREC).packetId());
            pub.ack(PUBREL, 7);
            assertEquals(7, pub.expect(PUBCOMP).packetId());
            // Same QoS as the message, so it cannot overtake a duplicate on its way to the subscriber.
            pub.publish("eo/t", "marker", 2, 8, false);
            pub.expect(PUBREC);
            pub.ack(PUBREL, 8);
            pub.expect(PUBCOMP);
        }
        assertEquals("exactly once", sub.next().payload());
        assertEquals("marker", sub.next().payload(), "no second copy before the marker");
    }

    @Test
    void unacknowledgedMessagesAreResentWithDupAfterReconnect() throws Exception {
        try (RawMqttClient sub = new RawMqttClient(listener.port())) {
            sub.connectAccepted("dup-sub", false);
            sub.subscribe(1, "dup/t", 1);
            sub.expect(SUBACK);
            paho.connect("dup-pub").publish("dup/t", "resend me", 1, false);
            RawMqttClient.Packet first = sub.expect(PUBLISH);
            assertEquals(0, first.flags() & 0x08, "first delivery has DUP 0");
        }
        try (RawMqttClient again = new RawMqttClient(listener.port())) {
            assertTrue(again.connectAccepted("dup-sub", false));
            RawMqttClient.Packet resent = again.expect(PUBLISH);
            assertEquals(0x08, resent.flags() & 0x08, "redelivery has DUP 1");
            assertEquals("resend me", resent.payload());
            again.ack(RawMqttClient.PUBACK, resent.publishPacketId());
        }
    }

    @Test
    void outgoingQos2FollowsPubrecPubrelPubcomp() throws Exception {
        try (RawMqttClient sub = new RawMqttClient(listener.port())) {
            sub.connectAccepted("q2out-sub", true);
            sub.subscribe(1, "q2out/t", 2);
            sub.expect(SUBACK);
            paho.connect("q2out-pub").publish("q2out/t", "two", 2, false);
            RawMqttClient.Packet publish = sub.expect(PUBLISH);
            assertEquals(0x04, publish.flags() & 0x06);
            sub.ack(PUBREC, publish.publishPacketId());
            RawMqttClient.Packet pubrel = sub.expect(PUBREL);
            assertEquals(0x02, pubrel.flags(), "PUBREL flags");
            assertEquals(publish.publishPacketId(), pubrel.packetId());
            sub.ack(PUBCOMP, publish.publishPacketId());
        }
    }

    @Test
    void willIsPublishedOnAbruptCloseButNotAfterDisconnect() throws Exception {
        Client watcher = paho.connect("will-watcher");
        watcher.subscribe("will/+", 0);
        try (RawMqttClient polite = new RawMqttClient(listener.port())) {
            polite.connect("will-polite", true, 60, "will/polite", "should not appear");
            polite.expect(CONNACK);
            polite.send((byte) 0xE0, (byte) 0x00);
            assertTrue(polite.closedWithin(5_000));
        }
        RawMqttClient abrupt = new RawMqttClient(listener.port());
        abrupt.connect("will-abrupt", true, 60, "will/abrupt", "gone");
        abrupt.expect(CONNACK);
        abrupt.close();
        Received r = watcher.next();
        assertEquals("will/abrupt", r.topic());
        assertEquals("gone", r.payload());
    }

    @Test
    void willIsPublishedWhenKeepaliveExpires() throws Exception {
        Client watcher = paho.connect("ka-watcher");
        watcher.subscribe("ka/will", 0);
        try (RawMqttClient silent = new RawMqttClient(listener.port())) {
            silent.connect("ka-silent", true, 1, "ka/will", "timed out");
            silent.expect(CONNACK);
            assertEquals("timed out", watcher.next().payload());
            assertTrue(silent.closedWithin(5_000));
        }
    }

    @Test
    void pingreqGetsPingresp() throws Exception {
        try (RawMqttClient client = new RawMqttClient(listener.port())) {
            client.connectAccepted("pinger", true);
            client.send((byte) 0xC0, (byte) 0x00);
            assertArrayEquals(new byte[0], client.expect(PINGRESP).body());
        }
    }

    @Test
    void emptyClientIdIsAssignedWithCleanSessionAndRefusedWithout() throws Exception {
        try (RawMqttClient clean = new RawMqttClient(listener.port())) {
            assertFalse(clean.connectAccepted("", true));
        }
        try (RawMqttClient persistent = new RawMqttClient(listener.port())) {
            persistent.connect("", false, 60);
            assertArrayEquals(new byte[] {0, 2}, persistent.expect(CONNACK).body(), "identifier rejected");
            assertTrue(persistent.closedWithin(5_000));
        }
    }

    @Test
    void unacceptableProtocolLevelIsRefusedWithReturnCode1() throws Exception {
        try (RawMqttClient client = new RawMqttClient(listener.port())) {
            byte[] body = new RawMqttClient.Body().string("MQTT").bytes(9, 0x02, 0, 60).string("lvl9").toBytes();
            client.sendPacket(0x10, body);
            assertArrayEquals(new byte[] {0, 1}, client.expect(CONNACK).body());
            assertTrue(client.closedWithin(5_000));
        }
    }
}
