package dev.midge.mqtt5;

import static dev.midge.mqtt5.RawMqtt5Client.AUTHENTICATION_METHOD;
import static dev.midge.mqtt5.RawMqtt5Client.CONNACK;
import static dev.midge.mqtt5.RawMqtt5Client.MAXIMUM_PACKET_SIZE;
import static dev.midge.mqtt5.RawMqtt5Client.PUBACK;
import static dev.midge.mqtt5.RawMqtt5Client.PUBLISH;
import static dev.midge.mqtt5.RawMqtt5Client.RECEIVE_MAXIMUM;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.mqtt5.Mqtt5Clients.Client;
import dev.midge.mqtt5.RawMqtt5Client.Packet;
import dev.midge.mqtt5.RawMqtt5Client.Props;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the client's CONNECT limits: its Receive Maximum (4.9) and Maximum Packet Size (3.1.2.11.4). */
@QuarkusTest
@Timeout(30)
class ClientLimitsTest extends Mqtt5TestBase {

    /** MQTT-3.3.4-9: no more unacknowledged QoS 1 PUBLISHes than the client's Receive Maximum. */
    @Test
    void theClientsReceiveMaximumLimitsUnacknowledgedMessages() throws Exception {
        try (RawMqtt5Client sub = rawClient("rm-sub", Props.of(RECEIVE_MAXIMUM, 2))) {
            sub.subscribed("rm/t", 1);
            Client pub = clients.connect("rm-pub");
            for (int i = 0; i < 4; i++) {
                pub.publish("rm/t", "m" + i, 1);
            }
            Packet first = sub.expect(PUBLISH);
            Packet second = sub.expect(PUBLISH);
            assertEquals("m0 m1", first.payload() + " " + second.payload());
            sub.pingPong();
            sub.ack(PUBACK, first.publishPacketId());
            assertEquals("m2", sub.expect(PUBLISH).payload(), "a third only once one is acknowledged");
            sub.pingPong();
            sub.ack(PUBACK, second.publishPacketId());
            assertEquals("m3", sub.expect(PUBLISH).payload());
        }
    }

    /**
     * MQTT-3.1.2-24/25: a PUBLISH larger than the client's Maximum Packet Size is not sent but dropped as if
     * delivered. With 100 bytes, a QoS 1 PUBLISH on "mps/t" without properties fits a payload of 88 bytes.
     */
    @Test
    void noPacketLargerThanTheClientsMaximumPacketSizeIsSent() throws Exception {
        try (RawMqtt5Client sub = rawClient("mps-sub", Props.of(MAXIMUM_PACKET_SIZE, 100))) {
            sub.subscribed("mps/t", 1);
            long tooLarge = stats.droppedTooLarge();
            Client pub = clients.connect("mps-pub");
            pub.publish("mps/t", "x".repeat(89), 1);
            pub.publish("mps/t", "y".repeat(88), 1);
            Packet fits = sub.expect(PUBLISH);
            assertEquals("y".repeat(88), fits.payload(), "the one byte too large is dropped");
            assertEquals(100, fits.size());
            sub.ack(PUBACK, fits.publishPacketId());
            await().atMost(Duration.ofSeconds(5)).until(() -> stats.droppedTooLarge() == tooLarge + 1);
            pub.publish("mps/t", "small", 1);
            assertEquals("small", sub.expect(PUBLISH).payload(), "later messages still arrive");
        }
    }

    /**
     * MQTT-3.1.2-24, MQTT-3.14.2-3: nothing the server sends may exceed the client's Maximum Packet Size; a
     * DISCONNECT drops its Reason String rather than grow beyond it. Here 16 bytes, for a second CONNECT.
     */
    @Test
    void aServerDisconnectFitsTheClientsMaximumPacketSize() throws Exception {
        try (RawMqtt5Client client = rawClient("mps-disconnect", Props.of(MAXIMUM_PACKET_SIZE, 16))) {
            client.connect("mps-disconnect", true, Props.none());
            Packet disconnect = client.expectDisconnect(0x82);
            assertTrue(disconnect.size() <= 16, disconnect.size() + " bytes: " + disconnect);
        }
    }

    /** MQTT-3.1.2-24: even an accepting CONNACK leaves out optional properties rather than exceed 16 bytes. */
    @Test
    void anAcceptingConnAckFitsTheClientsMaximumPacketSize() throws Exception {
        try (RawMqtt5Client client = new RawMqtt5Client(listener.port())) {
            Packet connAck = client.connectAccepted("mps-connack-ok", true, Props.of(MAXIMUM_PACKET_SIZE, 16));
            assertTrue(connAck.size() <= 16, connAck.size() + " bytes: " + connAck);
        }
    }

    /** MQTT-3.2.2-19: a refusing CONNACK drops its Reason String rather than exceed the client's 32 bytes. */
    @Test
    void aConnAckRefusalFitsTheClientsMaximumPacketSize() throws Exception {
        try (RawMqtt5Client client = new RawMqtt5Client(listener.port())) {
            client.connect("mps-connack", true,
                    Props.of(MAXIMUM_PACKET_SIZE, 32).with(AUTHENTICATION_METHOD, "SCRAM-SHA-512"));
            Packet connAck = client.expect(CONNACK);
            RawMqtt5Client.assertStartsWith("20 ?? 00 8c", connAck);
            assertTrue(connAck.size() <= 32, connAck.size() + " bytes: " + connAck);
        }
    }
}
