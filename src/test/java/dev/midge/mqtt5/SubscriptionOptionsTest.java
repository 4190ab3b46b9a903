package dev.midge.mqtt5;

import static dev.midge.mqtt5.RawMqtt5Client.PUBACK;
import static dev.midge.mqtt5.RawMqtt5Client.PUBLISH;
import static dev.midge.mqtt5.RawMqtt5Client.SUBACK;
import static dev.midge.mqtt5.RawMqtt5Client.SUBSCRIPTION_IDENTIFIER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import dev.midge.mqtt5.Mqtt5Clients.Client;
import dev.midge.mqtt5.RawMqtt5Client.Packet;
import dev.midge.mqtt5.RawMqtt5Client.Props;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Subscription options (3.8.3.1) and Subscription Identifiers (3.8.2.1.2). */
@QuarkusTest
@Timeout(30)
class SubscriptionOptionsTest extends Mqtt5TestBase {

    private static final int NO_LOCAL = 0x04;
    private static final int RETAIN_AS_PUBLISHED = 0x08;

    private static void publishRetained(Client pub, String topic, String payload) {
        pub.mqtt.publishWith().topic(topic).payload(payload.getBytes()).qos(MqttQos.AT_LEAST_ONCE).retain(true).send();
    }

    /** MQTT-3.8.3-3: with No Local the client does not get its own messages, only others'. */
    @Test
    void noLocalKeepsAClientsOwnMessagesFromIt() throws Exception {
        try (RawMqtt5Client client = rawClient("so-nolocal")) {
            client.subscribed("so/nolocal", 1 | NO_LOCAL);
            client.publish("so/nolocal", "own", 1, 1, false, Props.none());
            assertEquals(PUBACK, client.read().type(), "its own message is not sent back before the PUBACK");
            clients.connect("so-nolocal-other").publish("so/nolocal", "other", 1);
            assertEquals("other", client.expect(PUBLISH).payload());
        }
    }

    /** MQTT-3.3.1-12/13: a live forward keeps the retain flag only for Retain As Published subscriptions. */
    @Test
    void retainAsPublishedKeepsTheRetainFlagOnLiveMessages() throws Exception {
        Client pub = clients.connect("so-rap-pub");
        try (RawMqtt5Client keeps = rawClient("so-rap-keeps"); RawMqtt5Client clears = rawClient("so-rap-clears")) {
            keeps.subscribed("so/rap", RETAIN_AS_PUBLISHED);
            clears.subscribed("so/rap", 0);
            publishRetained(pub, "so/rap", "live and retained");
            Packet kept = keeps.expect(PUBLISH);
            Packet cleared = clears.expect(PUBLISH);
            assertEquals("live and retained", kept.payload());
            assertTrue(kept.retain(), "Retain As Published: " + kept);
            assertFalse(cleared.retain(), "without Retain As Published: " + cleared);
        }
        publishRetained(pub, "so/rap", "");
    }

    /**
     * MQTT-3.3.1-9/10/11: Retain Handling 0 sends the retained message at every subscribe, 1 only when the
     * subscription is new, 2 never. Each subscribe is followed by a marker the client publishes itself: a
     * retained message due for that subscribe comes before it.
     */
    @ParameterizedTest
    @CsvSource({"0, true, true", "1, true, false", "2, false, false"})
    void retainHandlingDecidesWhenRetainedMessagesAreSent(int handling, boolean atFirst, boolean atResubscribe)
            throws Exception {
        String topic = "so/rh" + handling;
        Client pub = clients.connect("so-rh-pub" + handling);
        publishRetained(pub, topic, "retained");
        try (RawMqtt5Client client = rawClient("so-rh" + handling)) {
            boolean[] expected = {atFirst, atResubscribe};
            for (int i = 0; i < 2; i++) {
                client.subscribed(topic, handling << 4);
                client.publish(topic, "marker" + i, 0, 0, false, Props.none());
                Packet first = client.expect(PUBLISH);
                assertEquals(expected[i], first.retain() && first.payload().equals("retained"),
                        (i == 0 ? "first subscribe: " : "resubscribe: ") + first);
                if (expected[i]) {
                    assertEquals("marker" + i, client.expect(PUBLISH).payload());
                }
            }
        }
        publishRetained(pub, topic, "");
    }

    /**
     * MQTT-3.3.4-3/4: a message matching two subscriptions with identifiers 1 and 2 carries both. Midge sends
     * overlapping subscriptions' message once (the spec allows one copy or one per subscription), so the next
     * PUBLISH is already the following message, which only "si/#" matches.
     */
    @Test
    void aMessageCarriesTheIdentifiersOfEveryMatchingSubscription() throws Exception {
        try (RawMqtt5Client client = rawClient("so-si")) {
            client.subscribe(1, Props.of(SUBSCRIPTION_IDENTIFIER, 1), 0, "so/si/#");
            assertEquals(List.of(0), client.expect(SUBACK).reasonCodes());
            client.subscribe(2, Props.of(SUBSCRIPTION_IDENTIFIER, 2), 0, "so/si/+");
            assertEquals(List.of(0), client.expect(SUBACK).reasonCodes());
            Client pub = clients.connect("so-si-pub");
            pub.publish("so/si/a", "both", 1);
            pub.publish("so/si/a/b", "only #", 1);
            Packet both = client.expect(PUBLISH);
            assertEquals("both", both.payload());
            assertEquals(List.of(1, 2), both.properties().all(SUBSCRIPTION_IDENTIFIER).stream().sorted().toList());
            Packet onlyHash = client.expect(PUBLISH);
            assertEquals("only #", onlyHash.payload(), "one copy of the first message");
            assertEquals(List.of(1), onlyHash.properties().all(SUBSCRIPTION_IDENTIFIER));
        }
    }
}
