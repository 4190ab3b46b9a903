package dev.midge.protocol;

import static dev.midge.protocol.ConnectionHarness.ack;
import static dev.midge.protocol.ConnectionHarness.all;
import static dev.midge.protocol.ConnectionHarness.next;
import static dev.midge.protocol.ConnectionHarness.packetId;
import static dev.midge.protocol.ConnectionHarness.publish;
import static dev.midge.protocol.ConnectionHarness.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.session.Session;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Deliveries to a client and its PUBACK, PUBREC and PUBCOMP. */
class OutboundFlowTest {

    private final ConnectionHarness broker = new ConnectionHarness();

    /** A subscriber to "o/#" at {@code qos}, and a publisher that sent one message at that QoS to "o/1". */
    private EmbeddedChannel delivered(MqttVersion version, MqttQoS qos) {
        EmbeddedChannel subscriber = broker.connected(version, "subscriber");
        send(subscriber, MqttMessageBuilders.subscribe().messageId(1).addSubscription(qos, "o/#").build());
        EmbeddedChannel publisher = broker.connected(MqttVersion.MQTT_5, "publisher");
        send(publisher, publish("o/1", qos.value(), 3));
        return subscriber;
    }

    private MqttPublishMessage delivery(EmbeddedChannel subscriber) {
        MqttPublishMessage publish = assertInstanceOf(MqttPublishMessage.class, next(subscriber));
        assertEquals("o/1", publish.variableHeader().topicName());
        return publish;
    }

    @Test
    void qos1DeliveryIsInFlightUntilPubAck() {
        EmbeddedChannel subscriber = delivered(MqttVersion.MQTT_3_1_1, MqttQoS.AT_LEAST_ONCE);
        MqttPublishMessage publish = delivery(subscriber);
        Session session = broker.session("subscriber");
        assertEquals(1, session.inflightCount());
        assertNull(send(subscriber, ack(MqttMessageType.PUBACK, publish.variableHeader().packetId(), 0)));
        assertEquals(0, session.inflightCount());
    }

    @Test
    void qos2DeliveryIsReleasedOnPubRecAndEndsOnPubComp() {
        EmbeddedChannel subscriber = delivered(MqttVersion.MQTT_5, MqttQoS.EXACTLY_ONCE);
        int id = delivery(subscriber).variableHeader().packetId();
        Session session = broker.session("subscriber");
        MqttMessage pubRel = send(subscriber, ack(MqttMessageType.PUBREC, id, 0));
        assertEquals(MqttMessageType.PUBREL, pubRel.fixedHeader().messageType());
        assertEquals(MqttQoS.AT_LEAST_ONCE, pubRel.fixedHeader().qosLevel());
        assertEquals(id, packetId(pubRel));
        assertEquals(1, session.inflightCount());
        assertNull(send(subscriber, ack(MqttMessageType.PUBCOMP, id, 0)));
        assertEquals(0, session.inflightCount());
    }

    @Test
    void aPubRecRefusingTheMessageEndsItsDeliveryWithoutPubRel() {
        EmbeddedChannel subscriber = delivered(MqttVersion.MQTT_5, MqttQoS.EXACTLY_ONCE);
        int id = delivery(subscriber).variableHeader().packetId();
        assertNull(send(subscriber, ack(MqttMessageType.PUBREC, id, 0x80)));
        assertEquals(0, broker.session("subscriber").inflightCount());
    }

    @Test
    void theRepliesOfAnMqtt311ClientCarryNoReasonCode() {
        EmbeddedChannel subscriber = delivered(MqttVersion.MQTT_3_1_1, MqttQoS.EXACTLY_ONCE);
        int id = delivery(subscriber).variableHeader().packetId();
        MqttMessage pubRel = send(subscriber, ack(MqttMessageType.PUBREC, id, 0));
        assertEquals(MqttMessageType.PUBREL, pubRel.fixedHeader().messageType());
        assertEquals(MqttMessageIdVariableHeader.class,
                pubRel.variableHeader().getClass());
        assertTrue(all(subscriber).isEmpty());
    }

    @Test
    void subscribersOfOneLoopGetTheSameQos0MessageWhetherEncodedAloneOrShared() {
        EmbeddedChannel[] subscribers = {broker.connected(MqttVersion.MQTT_3_1_1, "s1"),
            broker.connected(MqttVersion.MQTT_3_1_1, "s2"), broker.connected(MqttVersion.MQTT_5, "s3"),
            broker.connected(MqttVersion.MQTT_3_1, "s4")};
        for (EmbeddedChannel subscriber : subscribers) {
            send(subscriber, MqttMessageBuilders.subscribe().messageId(1)
                    .addSubscription(MqttQoS.AT_MOST_ONCE, "o/#").build());
            all(subscriber);
        }
        EmbeddedChannel publisher = broker.connected(MqttVersion.MQTT_5, "publisher");
        send(publisher, publish("o/1", 0, 0));
        for (EmbeddedChannel subscriber : subscribers) {
            MqttPublishMessage publish = delivery(subscriber);
            assertEquals(MqttQoS.AT_MOST_ONCE, publish.fixedHeader().qosLevel());
            assertEquals("hello", publish.payload().toString(StandardCharsets.UTF_8));
            publish.release();
        }
    }
}
