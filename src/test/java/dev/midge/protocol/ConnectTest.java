package dev.midge.protocol;

import static dev.midge.testing.RawMqttClient.CLEAN_SESSION;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.Mqtt3Clients.Client;
import dev.midge.testing.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CONNECT and CONNACK (MQTT 3.1.1 section 3.1 and 3.2; MQTT 3.1 for "MQIsdp"), takeover, PINGREQ. */
@QuarkusTest
@Timeout(30)
class ConnectTest extends BrokerTestBase {

    private static final byte[] ACCEPTED = {0, 0};

    @Test
    void mqtt311ConnectGetsConnackAccepted() throws Exception {
        RawMqttClient client = raw();
        client.connect("MQTT", 4, CLEAN_SESSION, 60, "connect-311");
        assertArrayEquals(ACCEPTED, client.connAck(), "session present 0, return code 0");
        client.ping();
    }

    @Test
    void mqtt31ConnectWithMQIsdpGetsConnackAccepted() throws Exception {
        RawMqttClient client = raw();
        client.connect("MQIsdp", 3, CLEAN_SESSION, 60, "connect-31-raw");
        assertArrayEquals(ACCEPTED, client.connAck());
        client.ping();
    }

    @ParameterizedTest
    @ValueSource(ints = {6, 9, 255})
    void unacceptableProtocolLevelGetsReturnCode1ThenClose(int level) throws Exception {
        RawMqttClient client = raw();
        client.connect("MQTT", level, CLEAN_SESSION, 60, "connect-level-" + level);
        assertArrayEquals(new byte[] {0, 1}, client.connAck(), "unacceptable protocol version");
        assertTrue(client.closedWithin(5_000), "closed after the refusal");
    }

    @Test
    void emptyClientIdWithCleanSessionIsAccepted() throws Exception {
        RawMqttClient client = raw();
        client.connect("MQTT", 4, CLEAN_SESSION, 60, "");
        assertArrayEquals(ACCEPTED, client.connAck());
        client.subscribe(1, "connect/empty-id", 1);
        assertArrayEquals(new int[] {1}, client.subAck(1));
        client.publish("connect/empty-id", "served", 1, 2, false);
        // The broker may send the PUBACK and the forwarded PUBLISH in either order.
        RawMqttClient.Packet a = client.read();
        RawMqttClient.Packet b = client.read();
        RawMqttClient.Packet publish = a.type() == RawMqttClient.PUBLISH ? a : b;
        assertEquals("served", publish.payload());
    }

    @Test
    void emptyClientIdWithoutCleanSessionGetsReturnCode2ThenClose() throws Exception {
        RawMqttClient client = raw();
        client.connect("MQTT", 4, 0, 60, "");
        assertArrayEquals(new byte[] {0, 2}, client.connAck(), "identifier rejected");
        assertTrue(client.closedWithin(5_000));
    }

    @Test
    void mqtt31EmptyClientIdGetsReturnCode2ThenClose() throws Exception {
        RawMqttClient client = raw();
        client.connect("MQIsdp", 3, CLEAN_SESSION, 60, "");
        assertArrayEquals(new byte[] {0, 2}, client.connAck(), "identifier rejected");
        assertTrue(client.closedWithin(5_000));
    }

    @Test
    void aSecondConnectionWithTheSameClientIdClosesTheFirst() throws Exception {
        RawMqttClient first = raw();
        assertFalse(first.connectAccepted("connect-takeover", true));
        Client second = mqtt3.connect("connect-takeover");
        assertTrue(first.closedWithin(5_000), "the older connection is closed");
        second.subscribe("connect/takeover", 1);
        second.publish("connect/takeover", "second works", 1, false);
        assertEquals("second works", second.next().payload());
        assertTrue(second.isConnected());
    }

    @Test
    void pingreqGetsPingresp() throws Exception {
        RawMqttClient client = raw();
        client.connectAccepted("connect-pinger", true);
        client.pingReq();
        RawMqttClient.Packet resp = client.read();
        assertEquals(RawMqttClient.PINGRESP, resp.type());
        assertEquals(0, resp.flags());
        assertArrayEquals(new byte[0], resp.body());
    }
}
