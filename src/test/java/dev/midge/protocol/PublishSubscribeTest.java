package dev.midge.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.Mqtt3Clients.Client;
import dev.midge.testing.Mqtt3Clients.Received;
import dev.midge.testing.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SUBSCRIBE and UNSUBSCRIBE with wildcards, granted QoS, overlapping subscriptions, '$' topics (section 4.7). */
@QuarkusTest
@Timeout(30)
class PublishSubscribeTest extends BrokerTestBase {

    @Test
    void plusMatchesExactlyOneLevelIncludingAnEmptyOne() throws Exception {
        Client sub = mqtt3.connect("ps-plus-sub");
        sub.subscribe("ps/plus/+/c", 1);
        Client pub = mqtt3.connect("ps-plus-pub");
        for (String topic : List.of("ps/plus/b/c", "ps/plus/b/d", "ps/plus/b/x/c", "ps/plus/c", "ps/plus//c")) {
            pub.publish(topic, topic, 1, false);
        }
        pub.publish("ps/plus/m/c", "marker", 1, false);
        assertEquals(List.of("ps/plus/b/c", "ps/plus//c"), topics(sub.receivedBefore("marker")));
    }

    @Test
    void hashMatchesTheParentAndEveryLevelBelow() throws Exception {
        Client sub = mqtt3.connect("ps-hash-sub");
        sub.subscribe("ps/hash/#", 1);
        Client pub = mqtt3.connect("ps-hash-pub");
        for (String topic : List.of("ps/hash", "ps/hash/a", "ps/hash/a/b/c", "ps/hashes", "ps", "ps/other/a")) {
            pub.publish(topic, topic, 1, false);
        }
        pub.publish("ps/hash/m", "marker", 1, false);
        assertEquals(List.of("ps/hash", "ps/hash/a", "ps/hash/a/b/c"), topics(sub.receivedBefore("marker")));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void subackGrantsTheRequestedQos(int qos) throws Exception {
        RawMqttClient client = raw();
        client.connectAccepted("ps-granted-" + qos, true);
        client.subscribe(42, "ps/granted/" + qos, qos);
        assertArrayEquals(new int[] {qos}, client.subAck(42));
    }

    @Test
    void overlappingSubscriptionsDeliverOnceAtTheHighestGrantedQos() throws Exception {
        Client sub = mqtt3.connect("ps-overlap-sub");
        sub.subscribe("ps/overlap/#", 0);
        sub.subscribe("ps/overlap/b", 2);
        Client pub = mqtt3.connect("ps-overlap-pub");
        pub.publish("ps/overlap/b", "once", 2, false);
        pub.publish("ps/overlap/b", "marker", 2, false);
        List<Received> before = sub.receivedBefore("marker");
        assertEquals(List.of(new Received("ps/overlap/b", "once", 2, false)), before);
    }

    @Test
    void unsubscribeStopsDelivery() throws Exception {
        Client sub = mqtt3.connect("ps-unsub-sub");
        sub.subscribe("ps/unsub/t", 1);
        sub.subscribe("ps/unsub/marker", 1);
        Client pub = mqtt3.connect("ps-unsub-pub");
        pub.publish("ps/unsub/t", "before", 1, false);
        assertEquals("before", sub.next().payload());
        sub.unsubscribe("ps/unsub/t");
        pub.publish("ps/unsub/t", "after", 1, false);
        pub.publish("ps/unsub/marker", "marker", 1, false);
        assertEquals(List.of(), sub.receivedBefore("marker"));
    }

    @Test
    void unsubscribeIsAcknowledgedWithItsPacketIdEvenForAnUnknownFilter() throws Exception {
        RawMqttClient client = raw();
        client.connectAccepted("ps-unsuback", true);
        client.subscribe(1, "ps/unsuback", 1);
        client.subAck(1);
        client.unsubscribe(0x1234, "ps/unsuback");
        assertArrayEquals(new byte[] {0x12, 0x34}, client.expect(RawMqttClient.UNSUBACK).body());
        client.unsubscribe(7, "ps/never/subscribed");
        assertArrayEquals(new byte[] {0, 7}, client.expect(RawMqttClient.UNSUBACK).body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+/x"})
    void wildcardsAtTheFirstLevelDoNotMatchDollarTopics(String filter) throws Exception {
        Client sub = mqtt3.connect("ps-dollar-wild-" + (filter.equals("#") ? "hash" : "plus"));
        sub.subscribe(filter, 1);
        Client pub = mqtt3.connect("ps-dollar-pub");
        pub.publish("$SYS/x", "sys", 1, false);
        pub.publish("$foo/x", "foo", 1, false);
        pub.publish("psdollar/x", "psdollar-marker", 1, false);
        // '#' also gets whatever else is published or retained on the shared broker: none of it may be a $ topic.
        for (Received r : sub.receivedBefore("psdollar-marker")) {
            assertTrue(!r.topic().startsWith("$"), filter + " matched " + r.topic());
        }
    }

    @Test
    void aFilterStartingWithDollarMatchesDollarTopics() throws Exception {
        Client sub = mqtt3.connect("ps-dollar-own");
        sub.subscribe("$foo/#", 1);
        Client pub = mqtt3.connect("ps-dollar-own-pub");
        pub.publish("$foo/x", "dollar", 1, false);
        assertEquals(new Received("$foo/x", "dollar", 1, false), sub.next());
    }

    private static List<String> topics(List<Received> received) {
        return received.stream().map(Received::topic).toList();
    }

    /** MQTT-3.14.4-2: after DISCONNECT the client sends nothing more, so a PUBLISH behind it in one read is dropped. */
    @Test
    void aPublishBehindTheClientsDisconnectInTheSameReadIsIgnored() throws Exception {
        Client sub = mqtt3.connect("after-disconnect-sub");
        sub.subscribe("after/disconnect", 1);
        RawMqttClient client = raw();
        client.connectAccepted("after-disconnect-pub", true);
        ByteArrayOutputStream oneRead = new ByteArrayOutputStream();
        oneRead.writeBytes(new byte[] {(byte) (RawMqttClient.DISCONNECT << 4), 0});
        oneRead.writeBytes(RawMqttClient.packet(RawMqttClient.PUBLISH << 4, new RawMqttClient.Body()
                .string("after/disconnect").raw("too late".getBytes(StandardCharsets.UTF_8)).toBytes()));
        client.send(oneRead.toByteArray());
        assertTrue(client.closedWithin(5_000), "closed after the DISCONNECT");
        mqtt3.connect("after-disconnect-marker").publish("after/disconnect", "marker", 1, false);
        assertEquals(List.of(), sub.receivedBefore("marker"));
    }
}
