package dev.midge.protocol;

import static dev.midge.testing.RawMqttClient.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.Mqtt3Clients.Client;
import dev.midge.testing.RawMqttClient;
import dev.midge.testing.RawMqttClient.Body;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and forbidden input closes the offending connection only: a healthy client subscribed before still
 * gets what is published after.
 */
@QuarkusTest
@Timeout(30)
class BadInputTest extends BrokerTestBase {

    private Client healthy;

    @BeforeEach
    void healthySubscriber() throws Exception {
        healthy = mqtt3.connect("bad-healthy-" + System.nanoTime());
        healthy.subscribe("bad/healthy", 1);
    }

    /** Each case: whether to CONNECT first, then the bad bytes. */
    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of("PUBLISH with QoS bits 11", true,
                        packet(0x36, new Body().string("a").bytes(0, 1).toBytes())),
                Arguments.of("reserved packet type 0", true, new byte[] {0x00, 0x00}),
                Arguments.of("reserved packet type 15", true, new byte[] {(byte) 0xF0, 0x00}),
                Arguments.of("5-byte remaining length", true,
                        new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}),
                Arguments.of("PUBLISH before CONNECT", false, packet(0x30, new Body().string("a").toBytes())),
                Arguments.of("SUBSCRIBE before CONNECT", false,
                        packet(0x82, new Body().bytes(0, 1).string("a").bytes(0).toBytes())),
                Arguments.of("second CONNECT", true,
                        packet(0x10, new Body().string("MQTT").bytes(4, 2, 0, 60).string("again").toBytes())),
                Arguments.of("PUBLISH to a/+", true, packet(0x30, new Body().string("a/+").raw(new byte[] {'x'})
                        .toBytes())),
                Arguments.of("PUBLISH to a/#", true, packet(0x30, new Body().string("a/#").raw(new byte[] {'x'})
                        .toBytes())),
                Arguments.of("PUBREL with flags 0000", true, new byte[] {0x60, 0x02, 0x00, 0x01}),
                Arguments.of("SUBSCRIBE with flags 0000", true,
                        packet(0x80, new Body().bytes(0, 1).string("a").bytes(0).toBytes())),
                Arguments.of("SUBSCRIBE without filters", true, new byte[] {(byte) 0x82, 0x02, 0x00, 0x01}),
                Arguments.of("CONNECT shorter than its fields", false, new byte[] {0x10, 0x03, 0x00, 0x01, 0x41}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void closesOnlyTheOffendingConnection(String name, boolean connectFirst, byte[] bad) throws Exception {
        RawMqttClient offender = raw();
        if (connectFirst) {
            offender.connectAccepted("bad-offender-" + System.nanoTime(), true);
        }
        offender.send(bad);
        assertTrue(offender.closedWithin(5_000), name + ": connection closed");
        assertHealthyClientStillServed();
    }

    /**
     * MQTT 3.1.1 has no DISCONNECT from the server: a protocol error just closes. A client still sending then
     * reads the end of the stream, not a reset, as the broker half-closes and reads what still comes.
     */
    @Test
    void aProtocolErrorWhileTheClientKeepsSendingEndsTheStreamWithoutAReset() throws Exception {
        RawMqttClient offender = raw();
        offender.connectAccepted("bad-burst", true);
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        burst.writeBytes(packet(0x36, new Body().string("a").bytes(0, 1).toBytes()));
        burst.writeBytes(RawMqttClient.pingReqs(150_000));
        CompletableFuture<Void> writer = offender.sendInBackground(burst.toByteArray());
        offender.expectEndOfStream(5_000);
        writer.get(5, TimeUnit.SECONDS);
        assertHealthyClientStillServed();
    }

    @Test
    void anInvalidFilterGetsSubackFailureAndTheConnectionStays() throws Exception {
        RawMqttClient client = raw();
        client.connectAccepted("bad-filter", true);
        client.subscribe(9, 1, "a/#/b");
        assertArrayEquals(new int[] {0x80}, client.subAck(9));
        client.ping();
        assertHealthyClientStillServed();
    }

    @Test
    void aGoodAndABadFilterGetOneGrantAndOneFailure() throws Exception {
        RawMqttClient client = raw();
        client.connectAccepted("bad-filter-mixed", true);
        client.subscribe(10, 1, "bad/mixed/+", "a/#/b");
        assertArrayEquals(new int[] {1, 0x80}, client.subAck(10));
        client.publish("bad/mixed/x", "granted works", 0, 0, false);
        assertEquals("granted works", client.expect(RawMqttClient.PUBLISH).payload());
    }

    @Test
    void anUnknownProtocolNameIsClosed() throws Exception {
        RawMqttClient client = raw();
        client.connect("HTTP", 4, 2, 60, "bad-protocol-name");
        assertTrue(client.closedWithin(5_000));
        assertHealthyClientStillServed();
    }

    private void assertHealthyClientStillServed() throws Exception {
        Client publisher = mqtt3.connect("bad-publisher-" + System.nanoTime());
        publisher.publish("bad/healthy", "still here", 1, false);
        assertEquals("still here", healthy.next().payload());
    }
}
