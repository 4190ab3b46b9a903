package dev.midge.mqtt5;

import static dev.midge.mqtt5.RawMqtt5Client.PUBLISH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.mqtt5.Mqtt5Clients.Client;
import dev.midge.mqtt5.RawMqtt5Client.Props;
import dev.midge.testing.Mqtt3Clients;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shared subscriptions (4.8.2): each message goes to one member of the group. How members are chosen is the
 * server's; Midge takes them in turn, skipping offline ones, and hands a member's unacknowledged messages to
 * another when that member's session ends (the spec's SHOULD).
 */
@QuarkusTest
@Timeout(30)
class SharedSubscriptionTest extends Mqtt5TestBase {

    /** Payloads a member received up to the "end" marker, which every member also subscribes to unshared. */
    private static List<String> untilEnd(Callable<String> next) throws Exception {
        List<String> received = new ArrayList<>();
        for (String payload = next.call(); !payload.equals("end"); payload = next.call()) {
            received.add(payload);
        }
        return received;
    }

    private void publishTenThenEnd(String topic) {
        Client pub = clients.connect(topic.replace('/', '-') + "-pub");
        for (int i = 0; i < 10; i++) {
            pub.publish(topic, "m" + i, 1);
        }
        pub.publish(topic + "/end", "end", 1);
    }

    /** 10 messages to 2 members: 5 each, none twice, none lost. */
    private static void assertSplitInTurn(List<String> first, List<String> second) {
        assertEquals(5, first.size(), "first member got " + first + ", second " + second);
        assertEquals(5, second.size(), "first member got " + first + ", second " + second);
        Set<String> all = new HashSet<>(first);
        all.addAll(second);
        assertEquals(IntStream.range(0, 10).mapToObj(i -> "m" + i).collect(Collectors.toSet()), all);
    }

    @Test
    void eachMessageGoesToOneMemberInTurn() throws Exception {
        Client a = clients.connect("share-a");
        Client b = clients.connect("share-b");
        for (Client member : List.of(a, b)) {
            member.subscribe("$share/g5/share/t", 1);
            member.subscribe("share/t/end", 1);
        }
        publishTenThenEnd("share/t");
        assertSplitInTurn(untilEnd(a::nextPayload), untilEnd(b::nextPayload));
    }

    @Test
    void mqtt311ClientsShareToo() throws Exception {
        Mqtt3Clients.Client a = mqtt3.connect("share311-a");
        Mqtt3Clients.Client b = mqtt3.connect("share311-b");
        for (Mqtt3Clients.Client member : List.of(a, b)) {
            member.subscribe("$share/g3/share311/t", 1);
            member.subscribe("share311/t/end", 1);
        }
        publishTenThenEnd("share311/t");
        assertSplitInTurn(untilEnd(() -> a.next().payload()), untilEnd(() -> b.next().payload()));
    }

    @Test
    void anOfflineMemberIsSkipped() throws Exception {
        Client online = clients.connect("share-online");
        online.subscribe("$share/g/share/offline", 1);
        Client offline = clients.create("share-offline");
        offline.mqtt.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
        offline.subscribe("$share/g/share/offline", 1);
        offline.subscribe("share/offline/end", 1);
        offline.mqtt.disconnect();

        Client pub = clients.connect("share-offline-pub");
        for (int i = 0; i < 4; i++) {
            pub.publish("share/offline", "m" + i, 1);
        }
        for (int i = 0; i < 4; i++) {
            assertEquals("m" + i, online.nextPayload());
        }
        assertTrue(offline.mqtt.connectWith().cleanStart(false).sessionExpiryInterval(0).send().isSessionPresent());
        pub.publish("share/offline/end", "end", 1);
        assertEquals("end", offline.nextPayload(), "nothing was queued for the offline member");
    }

    /** MQTT-3.8.3-4: No Local on a shared subscription is a Protocol Error, DISCONNECT 0x82. */
    @Test
    void noLocalOnASharedSubscriptionIsAProtocolError() throws Exception {
        try (RawMqtt5Client member = rawClient("share-nolocal")) {
            member.subscribe(1, Props.none(), 0x04 | 1, "$share/g/share/nolocal");
            member.expectDisconnect(0x82);
        }
    }

    @Test
    void aMembersUnacknowledgedMessageGoesToAnotherWhenItsSessionEnds() throws Exception {
        Client other = clients.connect("share-handover-other");
        try (RawMqtt5Client member = rawClient("share-handover")) {
            member.subscribed("$share/g/share/handover", 1);
            clients.connect("share-handover-pub").publish("share/handover", "unacknowledged", 1);
            assertEquals("unacknowledged", member.expect(PUBLISH).payload());
            other.subscribe("$share/g/share/handover", 1);
        }
        assertEquals("unacknowledged", other.nextPayload(), "handed over when the member's session ended");
    }
}
