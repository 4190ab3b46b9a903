package dev.midge.protocol;

import static dev.midge.testing.RawMqttClient.CONNACK;
import static dev.midge.testing.RawMqttClient.SUBACK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.PahoClients;
import dev.midge.testing.PahoClients.Client;
import dev.midge.testing.RawMqttClient;
import dev.midge.transport.MqttListener;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and forbidden input closes the offending connection only: a healthy client subscribed before
 * still gets what is published after.
 */
@QuarkusTest
@Timeout(30)
class BadInputTest {

    @Inject
    MqttListener listener;

    private PahoClients paho;
    private Client healthy;

    @BeforeEach
    void healthySubscriber() throws Exception {
        paho = new PahoClients(listener.port());
        healthy = paho.connect("healthy-" + System.nanoTime());
        healthy.subscribe("healthy/t", 1);
    }

    @AfterEach
    void closeClients() {
        paho.close();
    }

    /** Each case: whether to CONNECT first, then the bad bytes. */
    static Stream<Arguments> badInput() {
        byte[] wildcardPublish = new RawMqttClient.Body().string("a/+").raw("x".getBytes()).toBytes();
        byte[] hashPublish = new RawMqttClient.Body().string("a/#").raw("x".getBytes()).toBytes();
        return Stream.of(
                Arguments.of("PUBLISH with QoS 3", true, packet(0x36, new RawMqttClient.Body().string("a")
                        .bytes(0, 1).toBytes())),
                Arguments.of("reserved packet type 0", true, new byte[] {0x00, 0x00}),
                Arguments.of("reserved packet type 15", true, new byte[] {(byte) 0xF0, 0x00}),
                Arguments.of("5-byte remaining length", true,
                        new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}),
                Arguments.of("PUBLISH before CONNECT", false, packet(0x30, new RawMqttClient.Body().string("a")
                        .toBytes())),
                Arguments.of("SUBSCRIBE before CONNECT", false, packet(0x82, new RawMqttClient.Body()
                        .bytes(0, 1).string("a").bytes(0).toBytes())),
                Arguments.of("second CONNECT", true, packet(0x10, new RawMqttClient.Body().string("MQTT")
                        .bytes(4, 2, 0, 60).string("again").toBytes())),
                Arguments.of("PUBLISH to a/+", true, packet(0x30, wildcardPublish)),
                Arguments.of("PUBLISH to a/#", true, packet(0x30, hashPublish)),
                Arguments.of("PUBREL with wrong flags", true, new byte[] {0x60, 0x02, 0x00, 0x01}),
                Arguments.of("SUBSCRIBE without filters", true, new byte[] {(byte) 0x82, 0x02, 0x00, 0x01}),
                Arguments.of("garbage", false, new byte[] {0x10, 0x03, 0x00, 0x01, 0x41}));
    }

    private static byte[] packet(int header, byte[] body) {
        byte[] packet = new byte[body.length + 2];
        packet[0] = (byte) header;
        packet[1] = (byte) body.length;
        System.arraycopy(body, 0, packet, 2, body.length);
        return packet;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void closesOnlyTheOffendingConnection(String name, boolean connectFirst, byte[] bad) throws Exception {
        try (RawMqttClient offender = new RawMqttClient(listener.port())) {
            if (connectFirst) {
                offender.connectAccepted("offender-" + System.nanoTime(), true);
            }
            offender.send(bad);
            assertTrue(offender.closedWithin(5_000), name + ": connection closed");
        }
        assertHealthyClientStillServed();
    }

    @Test
    void invalidFilterGetsSubackFailureAndTheConnectionStays() throws Exception {
        try (RawMqttClient client = new RawMqttClient(listener.port())) {
            client.connectAccepted("bad-filter", true);
            client.sendPacket(0x82, new RawMqttClient.Body().bytes(0, 9).string("ok/+").bytes(1)
                    .string("a/#/b").bytes(1).toBytes());
            RawMqttClient.Packet subAck = client.expect(SUBACK);
            assertArrayEquals(new byte[] {0, 9, 1, (byte) 0x80}, subAck.body());
            client.send((byte) 0xC0, (byte) 0x00);
            client.expect(RawMqttClient.PINGRESP);
        }
        assertHealthyClientStillServed();
    }

    @Test
    void anUnsupportedProtocolNameIsClosed() throws Exception {
        try (RawMqttClient client = new RawMqttClient(listener.port())) {
            client.sendPacket(0x10, new RawMqttClient.Body().string("HTTP").bytes(4, 2, 0, 60).string("x")
                    .toBytes());
            assertTrue(client.closedWithin(5_000));
        }
        assertHealthyClientStillServed();
    }

    @Test
    void mqtt31WithAnEmptyClientIdIsRefused() throws Exception {
        try (RawMqttClient client = new RawMqttClient(listener.port())) {
            client.sendPacket(0x10, new RawMqttClient.Body().string("MQIsdp").bytes(3, 2, 0, 60).string("")
                    .toBytes());
            assertArrayEquals(new byte[] {0, 2}, client.expect(CONNACK).body());
            assertTrue(client.closedWithin(5_000));
        }
    }

    private void assertHealthyClientStillServed() throws Exception {
        Client publisher = paho.connect("publisher-" + System.nanoTime());
        publisher.publish("healthy/t", "still here", 1, false);
        assertEquals("still here", healthy.next().payload());
    }
}
