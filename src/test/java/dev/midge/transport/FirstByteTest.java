package dev.midge.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.management.OperationsEnabledProfile;
import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.Mqtt3Clients.Client;
import dev.midge.testing.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A connection is judged on the first byte of each packet, as soon as it arrives: a first packet that is not a
 * CONNECT, or a reserved packet type, closes it at once, far sooner than {@code midge.connect-timeout} (30 s
 * in {@link OperationsEnabledProfile}), over TCP and WebSocket alike, while other clients are served as before.
 */
@QuarkusTest
@TestProfile(OperationsEnabledProfile.class)
@Timeout(60)
class FirstByteTest extends BrokerTestBase {

    /** Well under the connect timeout: the close must not wait for it. */
    private static final int PROMPTLY_MILLIS = 2_000;

    /** One byte and no more: a PUBLISH, CONNACK, SUBSCRIBE, reserved 0 and 15, CONNECT with flags, HTTP's 'G'. */
    @ParameterizedTest
    @ValueSource(ints = {0x30, 0x20, 0x82, 0x00, 0xF0, 0x12, 'G'})
    void aFirstByteThatIsNotConnectClosesAtOnce(int first) throws Exception {
        RawMqttClient garbage = raw();
        garbage.send((byte) first);
        long start = System.nanoTime();
        garbage.expectEndOfStream(PROMPTLY_MILLIS);
        assertTrue(elapsedMillis(start) < PROMPTLY_MILLIS, "closed after " + elapsedMillis(start) + " ms");
        assertHealthyClientServed();
    }

    /** After an MQTT 3.1.1 CONNECT, type 0 and type 15 (AUTH exists only in MQTT 5) are reserved. */
    @ParameterizedTest
    @ValueSource(ints = {0x00, 0xF0})
    void aReservedPacketTypeAfterConnectClosesOnItsFirstByte(int first) throws Exception {
        RawMqttClient client = raw();
        client.connectAccepted("first-byte-reserved-" + first, true);
        client.send((byte) first);
        long start = System.nanoTime();
        client.expectEndOfStream(PROMPTLY_MILLIS);
        assertTrue(elapsedMillis(start) < PROMPTLY_MILLIS, "closed after " + elapsedMillis(start) + " ms");
    }

    @Test
    void aBinaryFrameWithABadFirstByteClosesTheWebSocketAtOnce() throws Exception {
        Closes closes = new Closes();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("mqtt")
                .buildAsync(URI.create("ws://127.0.0.1:" + listener.webSocketPort() + "/mqtt"), closes)
                .get(10, TimeUnit.SECONDS);
        long start = System.nanoTime();
        ws.sendBinary(ByteBuffer.wrap(new byte[] {0x30}), true).get(5, TimeUnit.SECONDS);
        int status = closes.status.get(PROMPTLY_MILLIS, TimeUnit.MILLISECONDS);
        assertTrue(elapsedMillis(start) < PROMPTLY_MILLIS, "closed after " + elapsedMillis(start) + " ms");
        assertEquals(1002, status, "WebSocket close status: protocol error");
        assertHealthyClientServed();
    }

    @Test
    void aWellBehavedClientIsServedAsBefore() throws Exception {
        RawMqttClient client = raw();
        client.connectAccepted("first-byte-healthy", true);
        client.subscribe(1, "first/byte", 0);
        assertArrayEquals(new int[] {0}, client.subAck(1));
        client.publish("first/byte", "served", 0, 0, false);
        assertEquals("served", client.expect(RawMqttClient.PUBLISH).payload());
    }

    private void assertHealthyClientServed() throws Exception {
        Client healthy = mqtt3.connect("first-byte-bystander-" + System.nanoTime());
        healthy.subscribe("first/bystander", 1);
        healthy.publish("first/bystander", "still served", 1, false);
        assertEquals("still served", healthy.next().payload());
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** The status of the server's close frame, or -1 when the connection failed without one. */
    private static final class Closes implements WebSocket.Listener {
        final CompletableFuture<Integer> status = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            status.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            status.complete(-1);
        }
    }
}
