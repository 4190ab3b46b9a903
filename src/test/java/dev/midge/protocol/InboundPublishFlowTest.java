package dev.midge.protocol;

import static dev.midge.protocol.ConnectionHarness.FORBIDDEN;
import static dev.midge.protocol.ConnectionHarness.RECEIVE_MAXIMUM;
import static dev.midge.protocol.ConnectionHarness.ack;
import static dev.midge.protocol.ConnectionHarness.all;
import static dev.midge.protocol.ConnectionHarness.packetId;
import static dev.midge.protocol.ConnectionHarness.publish;
import static dev.midge.protocol.ConnectionHarness.reasonCode;
import static dev.midge.protocol.ConnectionHarness.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.persistence.BrokerStore;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** PUBLISH from a client: acknowledgements, the QoS 2 receive state, and what closes the connection. */
class InboundPublishFlowTest {

    private final ConnectionHarness broker = new ConnectionHarness();

    /** A subscriber to {@code filter} at QoS 0; what it receives is read with {@code all}. */
    private EmbeddedChannel subscriber(String filter) {
        EmbeddedChannel channel = broker.connected(MqttVersion.MQTT_5, "subscriber");
        MqttMessage subscribe = MqttMessageBuilders.subscribe().messageId(1)
                .addSubscription(MqttQoS.AT_MOST_ONCE, filter).build();
        assertEquals(MqttMessageType.SUBACK, send(channel, subscribe).fixedHeader().messageType());
        return channel;
    }

    @Test
    void qos1IsRoutedAndAcknowledgedWithItsPacketId() {
        EmbeddedChannel subscriber = subscriber("t/#");
        EmbeddedChannel publisher = broker.connected(MqttVersion.MQTT_3_1_1, "publisher");
        MqttMessage pubAck = send(publisher, publish("t/1", 1, 11));
        assertEquals(MqttMessageType.PUBACK, pubAck.fixedHeader().messageType());
        assertEquals(11, packetId(pubAck));
        assertFalse(pubAck.variableHeader() instanceof MqttPubReplyMessageVariableHeader, "no reason code in 3.1.1");
        List<MqttMessage> received = all(subscriber);
        assertEquals(1, received.size());
        assertEquals("t/1", ((MqttPublishMessage) received.get(0)).variableHeader().topicName());
    }

    @Test
    void aMessageTheStoreCouldNotKeepIsNotAcknowledgedAndItsConnectionCloses() {
        // Every packet changes the store, which then fails to keep it (a cluster node left before confirming).
        AtomicLong changes = new AtomicLong();
        BrokerStore refusing = (BrokerStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BrokerStore.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "changesByThisThread" -> changes.incrementAndGet();
                    case "whenDurable" -> {
                        ((Runnable) args[args.length - 1]).run();
                        yield null;
                    }
                    case "isEnabled" -> false;
                    case "newOutboundId" -> 0L;
                    default -> null;
                });
        EmbeddedChannel publisher = new ConnectionHarness(refusing).connected(MqttVersion.MQTT_5, "publisher");
        assertNull(send(publisher, publish("t/1", 1, 11)), "no PUBACK");
        assertFalse(publisher.isOpen(), "closed, so that the client resends after reconnecting");
    }

    @Test
    void qos2DuplicateIsAcknowledgedButRoutedOnceAndPubRelIsCompleted() {
        EmbeddedChannel subscriber = subscriber("t/#");
        EmbeddedChannel publisher = broker.connected(MqttVersion.MQTT_5, "publisher");
        MqttMessage pubRec = send(publisher, publish("t/2", 2, 7));
        assertEquals(MqttMessageType.PUBREC, pubRec.fixedHeader().messageType());
        assertEquals(7, packetId(pubRec));
        assertTrue(broker.sessionLoop("publisher").awaitingRelease().contains(7));
        MqttMessage again = send(publisher, publish("t/2", 2, 7));
        assertEquals(MqttMessageType.PUBREC, again.fixedHeader().messageType());
        assertEquals(1, all(subscriber).size(), "a resent PUBLISH awaiting PUBREL is not routed again");

        MqttMessage pubComp = send(publisher, ack(MqttMessageType.PUBREL, 7, 0));
        assertEquals(MqttMessageType.PUBCOMP, pubComp.fixedHeader().messageType());
        assertEquals(7, packetId(pubComp));
        assertEquals(0x00, reasonCode(pubComp));
        assertFalse(broker.sessionLoop("publisher").awaitingRelease().contains(7));
        MqttMessage unknown = send(publisher, ack(MqttMessageType.PUBREL, 7, 0));
        assertEquals(0x92, reasonCode(unknown), "Packet Identifier not found");

        send(publisher, publish("t/2", 2, 7));
        assertEquals(1, all(subscriber).size(), "released, the id starts a new message");
    }

    @Test
    void qos2OnMqtt311CompletesWithoutReasonCodes() {
        EmbeddedChannel publisher = broker.connected(MqttVersion.MQTT_3_1_1, "publisher");
        MqttMessage pubRec = send(publisher, publish("t/3", 2, 9));
        assertEquals(MqttMessageType.PUBREC, pubRec.fixedHeader().messageType());
        assertEquals(MqttMessageIdVariableHeader.class, pubRec.variableHeader().getClass());
        MqttMessage pubComp = send(publisher, ack(MqttMessageType.PUBREL, 9, 0));
        assertEquals(MqttMessageType.PUBCOMP, pubComp.fixedHeader().messageType());
        assertEquals(MqttMessageIdVariableHeader.class, pubComp.variableHeader().getClass());
    }

    @Test
    void aForbiddenTopicIsRefusedWith0x87OnMqtt5AndSilentlyDroppedOnMqtt3() {
        EmbeddedChannel subscriber = subscriber("#");
        EmbeddedChannel v5 = broker.connected(MqttVersion.MQTT_5, "p5");
        EmbeddedChannel v3 = broker.connected(MqttVersion.MQTT_3_1_1, "p3");
        assertEquals(0x87, reasonCode(send(v5, publish(FORBIDDEN + "x", 1, 1))));
        MqttMessage pubAck = send(v3, publish(FORBIDDEN + "x", 1, 1));
        assertEquals(MqttMessageType.PUBACK, pubAck.fixedHeader().messageType());
        assertTrue(all(subscriber).isEmpty());
        assertTrue(v5.isActive() && v3.isActive());
        assertEquals(2, broker.stats.unauthorizedCount());
    }

    @Test
    void anInvalidTopicNameClosesMqtt5With0x90AndMqtt3WithoutDisconnect() {
        EmbeddedChannel v5 = broker.connected(MqttVersion.MQTT_5, "p5");
        MqttMessage disconnect = send(v5, publish("a/+", 0, 0));
        assertEquals(MqttMessageType.DISCONNECT, disconnect.fixedHeader().messageType());
        assertEquals(0x90, reasonCode(disconnect));
        assertFalse(v5.isActive());
        EmbeddedChannel v3 = broker.connected(MqttVersion.MQTT_3_1_1, "p3");
        assertNull(send(v3, publish("a/+", 0, 0)));
        assertFalse(v3.isActive());
    }

    @Test
    void aTopicAliasOutOfRangeClosesWith0x94() {
        EmbeddedChannel v5 = broker.connected(MqttVersion.MQTT_5, "p5");
        MqttProperties alias = new MqttProperties();
        alias.add(new IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), 60_000));
        MqttMessage disconnect = send(v5, publish("a", 0, 0, alias));
        assertEquals(0x94, reasonCode(disconnect));
        assertFalse(v5.isActive());
    }

    @Test
    void moreQos2AwaitingPubRelThanReceiveMaximumClosesWith0x93() {
        EmbeddedChannel v5 = broker.connected(MqttVersion.MQTT_5, "p5");
        for (int id = 1; id <= RECEIVE_MAXIMUM; id++) {
            assertEquals(MqttMessageType.PUBREC, send(v5, publish("q", 2, id)).fixedHeader().messageType());
        }
        assertEquals(MqttMessageType.PUBREC, send(v5, publish("q", 2, 1)).fixedHeader().messageType(),
                "a resent one is not one more");
        MqttMessage disconnect = send(v5, publish("q", 2, RECEIVE_MAXIMUM + 1));
        assertEquals(0x93, reasonCode(disconnect));
        assertFalse(v5.isActive());
    }

    @Test
    void aPacketTooLargeForTheDecoderClosesWith0x95() {
        EmbeddedChannel v5 = broker.connected(MqttVersion.MQTT_5, "p5");
        MqttMessage disconnect = send(v5, failedToDecode(new TooLongFrameException()));
        assertEquals(0x95, reasonCode(disconnect));
        assertFalse(v5.isActive());
    }

    @Test
    void aMalformedPacketClosesWith0x81() {
        EmbeddedChannel v5 = broker.connected(MqttVersion.MQTT_5, "p5");
        MqttMessage disconnect = send(v5, failedToDecode(new IllegalArgumentException("bad")));
        assertEquals(0x81, reasonCode(disconnect));
        assertFalse(v5.isActive());
    }

    /** What the decoder hands on for a PUBLISH it could not read. */
    private static MqttMessage failedToDecode(Throwable cause) {
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_MOST_ONCE, false, 0),
                null, null, DecoderResult.failure(cause));
    }
}
