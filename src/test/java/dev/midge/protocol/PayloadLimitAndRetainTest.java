package dev.midge.protocol;

import static dev.midge.protocol.ConnectionHarness.all;
import static dev.midge.protocol.ConnectionHarness.reasonCode;
import static dev.midge.protocol.ConnectionHarness.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.config.MidgeConfig;
import dev.midge.limits.Limits;
import dev.midge.limits.LimitsSettings;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code midge.max-payload-size} and {@code midge.retain-available=false} (Mosquitto's {@code message_size_limit}
 * and {@code retain_available false}), as a client sees them, and as a reload (SIGHUP) changes them.
 */
class PayloadLimitAndRetainTest {

    private static final int MAX_PAYLOAD = 10;

    private final MidgeConfig config = LimitsSettings.config(Map.of("midge.persistence.enabled", "false",
            "midge.max-payload-size", Integer.toString(MAX_PAYLOAD), "midge.retain-available", "false"));
    private final ConnectionHarness broker = new ConnectionHarness(config, new Limits(config.limits(),
            System::nanoTime));

    private static MqttPublishMessage publish(String topic, int qos, int packetId, int payloadSize, boolean retain) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.valueOf(qos),
                retain, 0), new MqttPublishVariableHeader(topic, packetId, MqttProperties.NO_PROPERTIES),
                Unpooled.wrappedBuffer(new byte[payloadSize]));
    }

    private EmbeddedChannel subscriber() {
        EmbeddedChannel channel = broker.connected(MqttVersion.MQTT_5, "subscriber");
        MqttMessage subscribe = MqttMessageBuilders.subscribe().messageId(1)
                .addSubscription(MqttQoS.AT_MOST_ONCE, "t/#").build();
        assertEquals(MqttMessageType.SUBACK, send(channel, subscribe).fixedHeader().messageType());
        return channel;
    }

    @Test
    void aPayloadOverTheLimitIsDroppedAndItsQosFlowCompletedWithPacketTooLarge() {
        EmbeddedChannel subscriber = subscriber();
        EmbeddedChannel v5 = broker.connected(MqttVersion.MQTT_5, "p5");
        EmbeddedChannel v3 = broker.connected(MqttVersion.MQTT_3_1_1, "p3");

        assertNull(send(v5, publish("t/0", 0, 0, MAX_PAYLOAD + 1, false)), "QoS 0: dropped without a word");
        MqttMessage pubAck = send(v5, publish("t/1", 1, 1, MAX_PAYLOAD + 1, false));
        assertEquals(MqttMessageType.PUBACK, pubAck.fixedHeader().messageType());
        assertEquals(0x95, reasonCode(pubAck), "Packet too large");
        MqttMessage pubRec = send(v5, publish("t/2", 2, 2, MAX_PAYLOAD + 1, false));
        assertEquals(MqttMessageType.PUBREC, pubRec.fixedHeader().messageType());
        assertEquals(0x95, reasonCode(pubRec));
        assertFalse(broker.sessionLoop("p5").awaitingRelease().contains(2), "the flow ends with the PUBREC");
        MqttMessage v3Ack = send(v3, publish("t/3", 1, 3, MAX_PAYLOAD + 1, false));
        assertEquals(MqttMessageType.PUBACK, v3Ack.fixedHeader().messageType());
        assertEquals(MqttMessageIdVariableHeader.class, v3Ack.variableHeader().getClass(), "no reason code in 3.1.1");
        assertTrue(all(subscriber).isEmpty(), "none of them routed");
        assertTrue(v5.isActive() && v3.isActive(), "the clients stay connected");

        assertEquals(0, reasonCode(send(v5, publish("t/4", 1, 4, MAX_PAYLOAD, false))));
        assertEquals(1, all(subscriber).size(), "a payload of the limit itself goes through");
    }

    @Test
    void mqtt5IsToldRetainIsUnavailableAndARetainedPublishEndsItsConnectionWith0x9A() {
        EmbeddedChannel v5 = broker.open();
        MqttConnAckMessage connAck = ConnectionHarness.connect(v5, MqttVersion.MQTT_5, "p5",
                ConnectionHarness.PASSWORD);
        IntegerProperty retainAvailable = (IntegerProperty) connAck.variableHeader().properties()
                .getProperty(MqttPropertyType.RETAIN_AVAILABLE.value());
        assertEquals(0, retainAvailable.value());

        MqttMessage disconnect = send(v5, publish("t/r", 1, 1, 1, true));
        assertEquals(MqttMessageType.DISCONNECT, disconnect.fixedHeader().messageType());
        assertEquals(0x9A, reasonCode(disconnect), "Retain not supported");
        assertFalse(v5.isActive());
        assertEquals(0, broker.router().retained().size());
    }

    @Test
    void mqtt3ClientPublishingRetainedIsClosedWithoutAnyPacket() {
        EmbeddedChannel v3 = broker.connected(MqttVersion.MQTT_3_1_1, "p3");
        assertNull(send(v3, publish("t/r", 0, 0, 1, true)));
        assertFalse(v3.isActive());
        assertEquals(0, broker.router().retained().size());
    }

    @Test
    void aRetainedWillIsRefusedWith0x9AOnMqtt5AndWithoutConnAckOnMqtt3() {
        EmbeddedChannel v5 = broker.open();
        MqttConnAckMessage refusal = assertInstanceOf(MqttConnAckMessage.class, send(v5, retainedWill(
                MqttVersion.MQTT_5)));
        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_RETAIN_NOT_SUPPORTED,
                refusal.variableHeader().connectReturnCode());

        EmbeddedChannel v3 = broker.open();
        assertNull(send(v3, retainedWill(MqttVersion.MQTT_3_1_1)));
        assertFalse(v3.isActive());
    }

    @Test
    void aReloadedPayloadLimitCountsFromTheNextPublishAndRetainFromTheNextConnection() {
        EmbeddedChannel subscriber = subscriber();
        EmbeddedChannel before = broker.connected(MqttVersion.MQTT_5, "before");
        broker.publishTerms().maxPayloadSize(2 * MAX_PAYLOAD);
        broker.publishTerms().retainAvailable(true);

        assertEquals(0, reasonCode(send(before, publish("t/1", 1, 1, 2 * MAX_PAYLOAD, false))),
                "a connected client gets the new limit at its next PUBLISH");
        assertEquals(0x95, reasonCode(send(before, publish("t/2", 1, 2, 2 * MAX_PAYLOAD + 1, false))));
        assertEquals(1, all(subscriber).size());

        EmbeddedChannel after = broker.open();
        MqttConnAckMessage connAck = ConnectionHarness.connect(after, MqttVersion.MQTT_5, "after",
                ConnectionHarness.PASSWORD);
        IntegerProperty announced = (IntegerProperty) connAck.variableHeader().properties()
                .getProperty(MqttPropertyType.RETAIN_AVAILABLE.value());
        assertTrue(announced == null || announced.value() == 1, "retain available, or not said: the same");
        assertEquals(0, reasonCode(send(after, publish("t/r", 1, 1, 1, true))));
        assertEquals(1, broker.router().retained().size(), "a client connecting after the reload may retain");
        EmbeddedChannel will = broker.open();
        assertEquals(MqttConnectReturnCode.CONNECTION_ACCEPTED, assertInstanceOf(MqttConnAckMessage.class,
                send(will, retainedWill(MqttVersion.MQTT_5))).variableHeader().connectReturnCode());

        assertEquals(0x9A, reasonCode(send(before, publish("t/r", 1, 3, 1, true))),
                "one connected before keeps what its CONNACK said");
        broker.publishTerms().maxPayloadSize(0);
        assertEquals(0, reasonCode(send(after, publish("t/3", 1, 2, 10 * MAX_PAYLOAD, false))), "0: no limit");
    }

    private static MqttMessage retainedWill(MqttVersion version) {
        return MqttMessageBuilders.connect().protocolVersion(version).clientId("w-" + version).cleanSession(true)
                .keepAlive(0).username("user").password(ConnectionHarness.PASSWORD.getBytes(StandardCharsets.UTF_8))
                .willFlag(true).willTopic("wills/1").willMessage("gone".getBytes(StandardCharsets.UTF_8))
                .willRetain(true).build();
    }
}
