package dev.midge.mqtt5;

import static dev.midge.mqtt5.RawMqtt5Client.PUBACK;
import static dev.midge.mqtt5.RawMqtt5Client.PUBLISH;
import static dev.midge.mqtt5.RawMqtt5Client.TOPIC_ALIAS;
import static dev.midge.mqtt5.RawMqtt5Client.TOPIC_ALIAS_MAXIMUM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.midge.mqtt5.Mqtt5Clients.Client;
import dev.midge.mqtt5.RawMqtt5Client.Packet;
import dev.midge.mqtt5.RawMqtt5Client.Props;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Topic aliases (3.3.2.3.4) in both directions, with the default Topic Alias Maximum of 10. */
@QuarkusTest
@Timeout(30)
class TopicAliasTest extends Mqtt5TestBase {

    /** The first PUBLISH sets alias 1 for its topic; the second has an empty topic and the alias alone. */
    @Test
    void aClientsTopicAliasStandsForItsTopic() throws Exception {
        Client watcher = clients.connect("ta-in-watcher");
        watcher.subscribe("ta/in", 1);
        try (RawMqtt5Client pub = rawClient("ta-in-pub")) {
            pub.publish("ta/in", "with topic", 1, 1, false, Props.of(TOPIC_ALIAS, 1));
            assertEquals(0, pub.expect(PUBACK).reasonCode());
            pub.publish("", "by alias", 1, 2, false, Props.of(TOPIC_ALIAS, 1));
            assertEquals(0, pub.expect(PUBACK).reasonCode());
        }
        for (String payload : new String[] {"with topic", "by alias"}) {
            Mqtt5Publish received = watcher.next();
            assertEquals("ta/in " + payload, received.getTopic() + " " + Mqtt5Clients.payload(received));
        }
    }

    /** 3.3.2.3.4: a PUBLISH with a topic and an alias already in use maps the alias to the new topic. */
    @Test
    void aClientCanMapAnAliasToAnotherTopic() throws Exception {
        Client watcher = clients.connect("ta-remap-watcher");
        watcher.subscribe("ta/remap/+", 1);
        try (RawMqtt5Client pub = rawClient("ta-remap-pub")) {
            pub.publish("ta/remap/a", "a", 1, 1, false, Props.of(TOPIC_ALIAS, 1));
            pub.publish("ta/remap/b", "b", 1, 2, false, Props.of(TOPIC_ALIAS, 1));
            pub.publish("", "b again", 1, 3, false, Props.of(TOPIC_ALIAS, 1));
            for (int i = 0; i < 3; i++) {
                assertEquals(0, pub.expect(PUBACK).reasonCode());
            }
        }
        for (String expected : new String[] {"ta/remap/a a", "ta/remap/b b", "ta/remap/b b again"}) {
            Mqtt5Publish received = watcher.next();
            assertEquals(expected, received.getTopic() + " " + Mqtt5Clients.payload(received));
        }
    }

    /** MQTT-3.3.2-8, 3.3.2-9: alias 0, or one above the server's Topic Alias Maximum, is DISCONNECT 0x94. */
    @ParameterizedTest
    @ValueSource(ints = {0, 11})
    void anAliasOutsideTheServersRangeIsTopicAliasInvalid(int alias) throws Exception {
        try (RawMqtt5Client pub = rawClient("ta-bad-" + alias)) {
            pub.publish("ta/bad", "x", 0, 0, false, Props.of(TOPIC_ALIAS, alias));
            pub.expectDisconnect(0x94);
        }
    }

    /** An empty topic with an alias this connection never set is a Protocol Error, DISCONNECT 0x82. */
    @Test
    void anEmptyTopicWithAnUnknownAliasIsAProtocolError() throws Exception {
        try (RawMqtt5Client pub = rawClient("ta-unknown")) {
            pub.publish("", "x", 0, 0, false, Props.of(TOPIC_ALIAS, 3));
            pub.expectDisconnect(0x82);
        }
    }

    /** MQTT-3.3.2-7: alias mappings belong to one network connection; a new one starts without them. */
    @Test
    void aliasesDoNotCarryOverToANewConnection() throws Exception {
        try (RawMqtt5Client pub = rawClient("ta-carry")) {
            pub.publish("ta/carry", "sets alias 1", 1, 1, false, Props.of(TOPIC_ALIAS, 1));
            assertEquals(0, pub.expect(PUBACK).reasonCode());
        }
        try (RawMqtt5Client pub = rawClient("ta-carry")) {
            pub.publish("", "uses alias 1", 0, 0, false, Props.of(TOPIC_ALIAS, 1));
            pub.expectDisconnect(0x82);
        }
    }

    /** A client allowing 5 aliases gets the topic and an alias first, then only the alias. */
    @Test
    void theServerAliasesATopicItSendsRepeatedly() throws Exception {
        try (RawMqtt5Client sub = rawClient("ta-out-sub", Props.of(TOPIC_ALIAS_MAXIMUM, 5))) {
            sub.subscribed("ta/out", 0);
            Client pub = clients.connect("ta-out-pub");
            pub.publish("ta/out", "one", 1);
            pub.publish("ta/out", "two", 1);
            Packet first = sub.expect(PUBLISH);
            assertEquals("ta/out one", first.topic() + " " + first.payload());
            Object alias = first.properties().get(TOPIC_ALIAS);
            assertInstanceOf(Integer.class, alias, "an alias on the first PUBLISH: " + first);
            assertTrue((Integer) alias >= 1 && (Integer) alias <= 5, "alias " + alias + " within the client's 5");
            Packet second = sub.expect(PUBLISH);
            assertEquals(" two", second.topic() + " " + second.payload(), "empty topic: " + second);
            assertEquals(alias, second.properties().get(TOPIC_ALIAS));
        }
    }

    /**
     * MQTT-3.1.2-26: a client allowing one alias never gets a higher one, and every PUBLISH it gets resolves
     * to its real topic through the aliases the server set before, as the client has to resolve them.
     */
    @Test
    void serverAliasesStayWithinTheClientsMaximumAndResolve() throws Exception {
        try (RawMqtt5Client sub = rawClient("ta-max-sub", Props.of(TOPIC_ALIAS_MAXIMUM, 1))) {
            sub.subscribed("ta/max/+", 0);
            Client pub = clients.connect("ta-max-pub");
            List<String> sent = List.of("ta/max/a 1", "ta/max/b 2", "ta/max/a 3", "ta/max/b 4", "ta/max/a 5");
            for (String message : sent) {
                pub.publish(message.split(" ")[0], message.split(" ")[1], 1);
            }
            Map<Integer, String> aliases = new HashMap<>();
            for (String expected : sent) {
                Packet received = sub.expect(PUBLISH);
                String topic = received.topic();
                Integer alias = (Integer) received.properties().get(TOPIC_ALIAS);
                if (alias != null) {
                    assertEquals(1, alias, "the only alias the client allows: " + received);
                    topic = topic.isEmpty() ? aliases.get(alias) : topic;
                    aliases.put(alias, topic);
                }
                assertEquals(expected, topic + " " + received.payload(), received.toString());
            }
        }
    }

    /** MQTT-3.1.2-27: without a Topic Alias Maximum in CONNECT the client allows no aliases, so none are sent. */
    @Test
    void aClientThatAllowsNoAliasesGetsNone() throws Exception {
        try (RawMqtt5Client sub = rawClient("ta-none-sub")) {
            sub.subscribed("ta/none", 0);
            Client pub = clients.connect("ta-none-pub");
            pub.publish("ta/none", "one", 1);
            pub.publish("ta/none", "two", 1);
            for (String payload : new String[] {"one", "two"}) {
                Packet received = sub.expect(PUBLISH);
                assertEquals("ta/none " + payload, received.topic() + " " + received.payload());
                assertFalse(received.properties().has(TOPIC_ALIAS), received.toString());
            }
        }
    }
}
