package dev.midge.protocol;

import static dev.midge.protocol.ConnectionHarness.PASSWORD;
import static dev.midge.protocol.ConnectionHarness.connect;
import static dev.midge.protocol.ConnectionHarness.next;
import static dev.midge.protocol.ConnectionHarness.reasonCode;
import static dev.midge.protocol.ConnectionHarness.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.session.CloseCause;
import dev.midge.session.Session;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.Test;

/** CONNECT on MQTT 3.1.1 and 5 through ConnectFlow and the dialects, and the session closing a connection. */
class ConnectFlowTest {

    private final ConnectionHarness broker = new ConnectionHarness();

    @Test
    void mqtt311ClientIsAcceptedWithoutProperties() {
        EmbeddedChannel channel = broker.open();
        MqttConnAckMessage connAck = connect(channel, MqttVersion.MQTT_3_1_1, "c311", PASSWORD);
        assertEquals(MqttConnectReturnCode.CONNECTION_ACCEPTED, connAck.variableHeader().connectReturnCode());
        assertFalse(connAck.variableHeader().isSessionPresent());
        assertTrue(connAck.variableHeader().properties().isEmpty());
        assertTrue(channel.isActive());
        assertTrue(broker.session("c311").isOnline());
        assertEquals("MQTT 3.1.1", protocolOf(channel));
    }

    @Test
    void mqtt5ClientIsAcceptedWithTheServersLimits() {
        EmbeddedChannel channel = broker.open();
        MqttConnAckMessage connAck = connect(channel, MqttVersion.MQTT_5, "c5", PASSWORD);
        assertEquals(MqttConnectReturnCode.CONNECTION_ACCEPTED, connAck.variableHeader().connectReturnCode());
        var receiveMaximum = connAck.variableHeader().properties()
                .getProperty(MqttPropertyType.RECEIVE_MAXIMUM.value());
        assertNotNull(receiveMaximum);
        assertEquals(ConnectionHarness.RECEIVE_MAXIMUM, receiveMaximum.value());
        assertEquals(Boolean.TRUE, channel.attr(MqttConnection.MQTT5).get());
        assertEquals("MQTT 5.0", protocolOf(channel));
    }

    @Test
    void mqtt311BadPasswordIsRefusedWithReturnCode4AndClosed() {
        EmbeddedChannel channel = broker.open();
        MqttConnAckMessage connAck = connect(channel, MqttVersion.MQTT_3_1_1, "bad311", "wrong");
        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
                connAck.variableHeader().connectReturnCode());
        assertTrue(connAck.variableHeader().properties().isEmpty());
        assertFalse(channel.isActive());
        assertTrue(broker.sessions.find("bad311").isEmpty(), "no session for a refused client");
    }

    @Test
    void mqtt5BadPasswordIsRefusedWithReasonCode0x86AndClosed() {
        EmbeddedChannel channel = broker.open();
        MqttConnAckMessage connAck = connect(channel, MqttVersion.MQTT_5, "bad5", "wrong");
        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD,
                connAck.variableHeader().connectReturnCode());
        assertEquals(0x86, connAck.variableHeader().connectReturnCode().byteValue() & 0xFF);
        assertFalse(channel.isActive());
    }

    @Test
    void aPacketBeforeConnectClosesWithoutAnswer() {
        EmbeddedChannel channel = broker.open();
        assertNull(send(channel, MqttMessage.PINGREQ));
        assertFalse(channel.isActive());
    }

    @Test
    void aSecondConnectClosesAnMqtt5ClientWithProtocolError() {
        EmbeddedChannel channel = broker.connected(MqttVersion.MQTT_5, "twice");
        MqttMessage disconnect = send(channel, MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5)
                .clientId("twice").build());
        assertEquals(MqttMessageType.DISCONNECT, disconnect.fixedHeader().messageType());
        assertEquals(0x82, reasonCode(disconnect));
        assertFalse(channel.isActive());
    }

    @Test
    void aTakeoverClosesTheOldMqtt5ConnectionWithSessionTakenOver() {
        EmbeddedChannel first = broker.connected(MqttVersion.MQTT_5, "same");
        EmbeddedChannel second = broker.connected(MqttVersion.MQTT_5, "same");
        MqttMessage disconnect = next(first);
        assertEquals(MqttMessageType.DISCONNECT, disconnect.fixedHeader().messageType());
        assertEquals(0x8E, reasonCode(disconnect));
        assertFalse(first.isActive());
        assertTrue(second.isActive());
    }

    @Test
    void anAdministratorsDisconnectSendsAdministrativeActionToMqtt5AndNothingToMqtt3() {
        EmbeddedChannel v5 = broker.connected(MqttVersion.MQTT_5, "admin5");
        EmbeddedChannel v3 = broker.connected(MqttVersion.MQTT_3_1_1, "admin3");
        broker.session("admin5").disconnect();
        broker.session("admin3").disconnect();
        MqttMessage disconnect = next(v5);
        assertEquals(0x98, reasonCode(disconnect));
        assertFalse(v5.isActive());
        assertNull(next(v3));
        assertFalse(v3.isActive());
    }

    @Test
    void aSubscriberTooSlowIsClosedAtOnceAndCounted() {
        EmbeddedChannel channel = broker.connected(MqttVersion.MQTT_5, "slow");
        Session session = broker.session("slow");
        channel.pipeline().get(MqttConnection.class).close(CloseCause.TOO_SLOW);
        channel.runPendingTasks();
        assertNull(next(channel), "no DISCONNECT: the client reads nothing anyway");
        assertFalse(channel.isActive());
        assertEquals(1, broker.stats.slowSubscribersDisconnected());
        assertFalse(session.isOnline());
    }

    private static String protocolOf(EmbeddedChannel channel) {
        return channel.pipeline().get(MqttConnection.class).protocol();
    }
}
