package dev.midge.protocol;

import static dev.midge.testing.RawMqttClient.PUBACK;
import static dev.midge.testing.RawMqttClient.PUBCOMP;
import static dev.midge.testing.RawMqttClient.PUBLISH;
import static dev.midge.testing.RawMqttClient.PUBREC;
import static dev.midge.testing.RawMqttClient.PUBREL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.Mqtt3Clients.Client;
import dev.midge.testing.Mqtt3Clients.Received;
import dev.midge.testing.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** QoS 0, 1 and 2 flows in both directions (MQTT 3.1.1 section 4.3) and QoS downgrade. */
@QuarkusTest
@Timeout(30)
class QosTest extends BrokerTestBase {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void publishAndSubscribeRoundTrip(int qos) throws Exception {
        String topic = "qos/rt/" + qos;
        Client sub = mqtt3.connect("qos-rt-sub-" + qos);
        sub.subscribe(topic, qos);
        Client pub = mqtt3.connect("qos-rt-pub-" + qos);
        pub.publish(topic, "hello " + qos, qos, false);
        assertEquals(new Received(topic, "hello " + qos, qos, false), sub.next());
    }

    @ParameterizedTest(name = "published {0}, granted {1} -> delivered {2}")
    @CsvSource({"2, 1, 1", "0, 2, 0", "1, 0, 0", "2, 0, 0", "1, 2, 1", "2, 2, 2"})
    void deliveredAtTheLowerOfPublishedAndGrantedQos(int published, int granted, int delivered) throws Exception {
        String topic = "qos/down/" + published + granted;
        Client sub = mqtt3.connect("qos-down-sub-" + published + granted);
        sub.subscribe(topic, granted);
        mqtt3.connect("qos-down-pub-" + published + granted).publish(topic, "x", published, false);
        assertEquals(delivered, sub.next().qos());
    }

    @Test
    void qos1PublishIsAcknowledgedWithPubackForItsPacketId() throws Exception {
        RawMqttClient pub = raw();
        pub.connectAccepted("qos-puback", true);
        pub.publish("qos/puback", "one", 1, 0x0102, false);
        RawMqttClient.Packet ack = pub.expect(PUBACK);
        assertEquals(0, ack.flags());
        assertArrayEquals(new byte[] {1, 2}, ack.body());
    }

    @Test
    void qos2ResentWithDupBeforePubrelIsDeliveredExactlyOnce() throws Exception {
        // A raw subscriber, to see the DUP flag of what it is sent.
        RawMqttClient sub = raw();
        sub.connectAccepted("qos-eo-sub", true);
        sub.subscribe(1, "qos/eo", 2);
        sub.subAck(1);
        RawMqttClient pub = raw();
        pub.connectAccepted("qos-eo-pub", true);
        pub.publish("qos/eo", "exactly once", 2, 7, false);
        assertEquals(7, pub.expect(PUBREC).packetId());
        pub.publish("qos/eo", "exactly once", 2, 7, true);
        assertEquals(7, pub.expect(PUBREC).packetId(), "a resent PUBLISH is acknowledged again");
        pub.ack(PUBREL, 7);
        RawMqttClient.Packet pubComp = pub.expect(PUBCOMP);
        assertEquals(0, pubComp.flags());
        assertArrayEquals(new byte[] {0, 7}, pubComp.body());
        // A marker at the same QoS on the same topic from the same publisher cannot overtake a second copy.
        pub.publish("qos/eo", "marker", 2, 8, false);
        pub.expect(PUBREC);
        pub.ack(PUBREL, 8);
        pub.expect(PUBCOMP);
        List<RawMqttClient.Packet> before = new ArrayList<>();
        for (RawMqttClient.Packet p = sub.read(); !isMarker(p); p = sub.read()) {
            if (p.type() == PUBREL) {
                sub.ack(PUBCOMP, p.packetId());
            } else {
                assertEquals(PUBLISH, p.type(), p.toString());
                before.add(p);
                sub.ack(PUBREC, p.publishPacketId());
            }
        }
        assertEquals(List.of(List.of("qos/eo", "exactly once", 2, false)), before.stream()
                .map(p -> List.<Object>of(p.topic(), p.payload(), p.qos(), p.dup())).toList(),
                "delivered once, as a first delivery with DUP 0");
    }

    private static boolean isMarker(RawMqttClient.Packet packet) {
        return packet.type() == PUBLISH && packet.payload().equals("marker");
    }

    @Test
    void qos2ToASubscriberFollowsPubrecPubrelPubcomp() throws Exception {
        RawMqttClient sub = raw();
        sub.connectAccepted("qos-out2-sub", true);
        sub.subscribe(1, "qos/out2", 2);
        sub.subAck(1);
        mqtt3.connect("qos-out2-pub").publish("qos/out2", "two", 2, false);
        RawMqttClient.Packet publish = sub.expect(PUBLISH);
        assertEquals(2, publish.qos());
        assertFalse(publish.dup());
        assertEquals("two", publish.payload());
        sub.ack(PUBREC, publish.publishPacketId());
        RawMqttClient.Packet pubRel = sub.expect(PUBREL);
        assertEquals(0x02, pubRel.flags(), "PUBREL fixed header flags 0010");
        assertEquals(publish.publishPacketId(), pubRel.packetId());
        sub.ack(PUBCOMP, publish.publishPacketId());
        sub.ping();
    }
}
