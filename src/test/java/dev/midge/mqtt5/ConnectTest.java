package dev.midge.mqtt5;

import static dev.midge.mqtt5.RawMqtt5Client.ASSIGNED_CLIENT_IDENTIFIER;
import static dev.midge.mqtt5.RawMqtt5Client.AUTHENTICATION_DATA;
import static dev.midge.mqtt5.RawMqtt5Client.AUTHENTICATION_METHOD;
import static dev.midge.mqtt5.RawMqtt5Client.CONNACK;
import static dev.midge.mqtt5.RawMqtt5Client.MAXIMUM_PACKET_SIZE;
import static dev.midge.mqtt5.RawMqtt5Client.MAXIMUM_QOS;
import static dev.midge.mqtt5.RawMqtt5Client.RECEIVE_MAXIMUM;
import static dev.midge.mqtt5.RawMqtt5Client.RETAIN_AVAILABLE;
import static dev.midge.mqtt5.RawMqtt5Client.SERVER_KEEP_ALIVE;
import static dev.midge.mqtt5.RawMqtt5Client.SESSION_EXPIRY_INTERVAL;
import static dev.midge.mqtt5.RawMqtt5Client.SHARED_SUBSCRIPTION_AVAILABLE;
import static dev.midge.mqtt5.RawMqtt5Client.SUBSCRIPTION_IDENTIFIER_AVAILABLE;
import static dev.midge.mqtt5.RawMqtt5Client.TOPIC_ALIAS_MAXIMUM;
import static dev.midge.mqtt5.RawMqtt5Client.WILDCARD_SUBSCRIPTION_AVAILABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.mqtt5.RawMqtt5Client.Packet;
import dev.midge.mqtt5.RawMqtt5Client.Properties;
import dev.midge.mqtt5.RawMqtt5Client.Props;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MQTT 5 CONNECT and CONNACK (section 3.2) with the default configuration. */
@QuarkusTest
@Timeout(30)
class ConnectTest extends Mqtt5TestBase {

    private Properties connAckProperties(String clientId, Props properties) throws Exception {
        try (RawMqtt5Client client = new RawMqtt5Client(listener.port())) {
            return client.connectAccepted(clientId, true, properties).properties();
        }
    }

    @Test
    void connAckAnnouncesTheServersLimits() throws Exception {
        Properties p = connAckProperties("connack-limits", Props.none());
        assertEquals(1000, p.get(RECEIVE_MAXIMUM), "Receive Maximum: midge.receive-maximum");
        assertEquals(1_048_576L, p.get(MAXIMUM_PACKET_SIZE), "Maximum Packet Size: midge.max-packet-size");
        assertEquals(10, p.get(TOPIC_ALIAS_MAXIMUM), "Topic Alias Maximum: midge.topic-alias.maximum");
    }

    /** Each feature is available: the property says 1, or is absent, which means available too (3.2.2.3). */
    @ParameterizedTest
    @ValueSource(ints = {RETAIN_AVAILABLE, WILDCARD_SUBSCRIPTION_AVAILABLE, SUBSCRIPTION_IDENTIFIER_AVAILABLE,
            SHARED_SUBSCRIPTION_AVAILABLE})
    void connAckAnnouncesTheAvailableFeatures(int property) throws Exception {
        Object value = connAckProperties("connack-feature-" + property, Props.none()).get(property);
        assertTrue(value == null || value.equals(1), "property " + property + " is " + value);
    }

    /** QoS 2 is supported, so Maximum QoS (which may only say 0 or 1) must be absent. */
    @Test
    void connAckSetsNoMaximumQos() throws Exception {
        assertNull(connAckProperties("connack-max-qos", Props.none()).get(MAXIMUM_QOS));
    }

    /** Without midge.max-keepalive the client's keepalive stands, so there is no Server Keep Alive to impose. */
    @Test
    void connAckKeepsTheClientsKeepAliveWithoutAServerMaximum() throws Exception {
        Object serverKeepAlive = connAckProperties("connack-keepalive", Props.none()).get(SERVER_KEEP_ALIVE);
        assertTrue(serverKeepAlive == null || serverKeepAlive.equals(60), "Server Keep Alive " + serverKeepAlive);
    }

    /** An empty client id gets one assigned (MQTT-3.1.3-6, 3.2.2.3.7), which then names the session. */
    @Test
    void anEmptyClientIdGetsAnAssignedClientIdentifier() throws Exception {
        String assigned;
        try (RawMqtt5Client client = new RawMqtt5Client(listener.port())) {
            Packet connAck = client.connectAccepted("", true, Props.of(SESSION_EXPIRY_INTERVAL, 60));
            assertInstanceOf(String.class, connAck.properties().get(ASSIGNED_CLIENT_IDENTIFIER), connAck.toString());
            assigned = (String) connAck.properties().get(ASSIGNED_CLIENT_IDENTIFIER);
            assertFalse(assigned.isEmpty());
            client.disconnect(0x00, Props.none());
        }
        try (RawMqtt5Client again = new RawMqtt5Client(listener.port())) {
            Packet connAck = again.connectAccepted(assigned, false, Props.of(SESSION_EXPIRY_INTERVAL, 0));
            assertTrue(connAck.sessionPresent(), "the assigned id names the session it was given for");
        }
    }

    /**
     * 3.1.2.11.3, 3.1.2.11.4: Receive Maximum or Maximum Packet Size 0 is a Protocol Error: the connection is
     * closed, after a CONNACK 0x82 if any (4.13.1).
     */
    @ParameterizedTest
    @ValueSource(ints = {RECEIVE_MAXIMUM, MAXIMUM_PACKET_SIZE})
    void aZeroLimitInConnectIsRefusedAsAProtocolError(int property) throws Exception {
        try (RawMqtt5Client client = new RawMqtt5Client(listener.port())) {
            client.connect("connack-zero-" + property, true, Props.of(property, 0));
            client.expectConnectError(0x82);
        }
    }

    /**
     * 3.1.2.11.10: Authentication Data without an Authentication Method is a Protocol Error: the connection is
     * closed, after a CONNACK 0x82 (or 0x81) if any (4.13.1).
     */
    @Test
    void authenticationDataWithoutAMethodIsRefusedAsAProtocolError() throws Exception {
        try (RawMqtt5Client client = new RawMqtt5Client(listener.port())) {
            client.connect("connack-auth-data", true, Props.of(AUTHENTICATION_DATA, new byte[] {1, 2, 3}));
            client.expectConnectError(0x81, 0x82);
        }
    }

    /**
     * MQTT-4.12.0-1: an Authentication Method the server does not offer is refused and the connection closed;
     * Midge says why with CONNACK 0x8C Bad authentication method (the spec allows 0x87 too, or no CONNACK).
     */
    @Test
    void anUnknownAuthenticationMethodIsRefusedWith0x8C() throws Exception {
        try (RawMqtt5Client client = new RawMqtt5Client(listener.port())) {
            client.connect("connack-auth", true, Props.of(AUTHENTICATION_METHOD, "SCRAM-SHA-512"));
            RawMqtt5Client.assertStartsWith("20 ?? 00 8c", client.expect(CONNACK));
            assertTrue(client.closedWithin(5_000));
        }
    }
}
