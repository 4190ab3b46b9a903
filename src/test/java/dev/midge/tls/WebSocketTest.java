package dev.midge.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.Mqtt3Clients;
import dev.midge.testing.Mqtt3Clients.Client;
import dev.midge.testing.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MQTT over WebSocket ({@code ws://host:port/mqtt}, subprotocol {@code mqtt}) and over secure WebSocket with
 * the TLS listener's certificate: real clients reach subscribers on plain TCP and back, packets may span frames
 * and frames may hold several packets, and only binary frames are MQTT. The listeners are set in
 * {@link BridgeTlsTest.Profile}, whose application start this test shares.
 */
@QuarkusTest
@TestProfile(BridgeTlsTest.Profile.class)
@Timeout(60)
class WebSocketTest extends BrokerTestBase {

    @Test
    void readinessListsTheWebSocketPorts() {
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'mqtt-listener' }.data.webSocketPort",
                        org.hamcrest.Matchers.equalTo(listener.webSocketPort()))
                .body("checks.find { it.name == 'mqtt-listener' }.data.secureWebSocketPort",
                        org.hamcrest.Matchers.equalTo(listener.secureWebSocketPort()));
    }

    private Mqtt3Clients.Options webSocket() {
        return Mqtt3Clients.options().port(listener.webSocketPort()).webSocket("mqtt");
    }

    @Test
    void mqtt311OverWebSocketTalksWithTcpClientsBothWays() throws Exception {
        Client tcp = mqtt3.connect("ws-tcp-side");
        tcp.subscribe("ws/to-tcp", 1);
        Client ws = mqtt3.connect("ws-client", webSocket());
        ws.subscribe("ws/to-ws", 2);
        ws.publish("ws/to-tcp", "from websocket", 1, false);
        assertEquals("from websocket", tcp.next().payload());
        tcp.publish("ws/to-ws", "from tcp", 2, false);
        assertEquals("from tcp", ws.next().payload());
    }

    @Test
    void qos0FanOutToSeveralWebSocketAndTcpSubscribersArrivesWholeAndInOrder() throws Exception {
        List<Client> subscribers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            subscribers.add(mqtt3.connect("ws-fan-" + i, webSocket()));
            subscribers.add(mqtt3.connect("tcp-fan-" + i));
        }
        for (Client subscriber : subscribers) {
            subscriber.subscribe("ws/fan", 0);
        }
        Client publisher = mqtt3.connect("ws-fan-publisher");
        for (int n = 0; n < 20; n++) {
            publisher.publish("ws/fan", "message " + n + " " + "x".repeat(n * 50), 0, false);
        }
        for (Client subscriber : subscribers) {
            for (int n = 0; n < 20; n++) {
                assertEquals("message " + n + " " + "x".repeat(n * 50), subscriber.next().payload());
            }
        }
    }

    @Test
    void mqtt5OverSecureWebSocket() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (var in = java.nio.file.Files.newInputStream(TestCertificates.DIR.resolve("ca.crt"))) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        trust.init(store);
        Mqtt5BlockingClient client = Mqtt5Client.builder().identifier("wss-5").serverHost("localhost")
                .serverPort(listener.secureWebSocketPort())
                .sslConfig().trustManagerFactory(trust).applySslConfig()
                .webSocketConfig().serverPath("mqtt").subprotocol("mqtt").applyWebSocketConfig()
                .buildBlocking();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.connect();
            client.subscribeWith().topicFilter("wss/echo").qos(MqttQos.EXACTLY_ONCE).send();
            client.publishWith().topic("wss/echo").payload("secure".getBytes(StandardCharsets.UTF_8))
                    .qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt5Publish received = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertEquals("secure", new String(received.getPayloadAsBytes(), StandardCharsets.UTF_8));
        } finally {
            client.disconnect();
        }
    }

    /** Collects binary messages and the close of a WebSocket opened with the JDK's own client. */
    private static final class Frames implements WebSocket.Listener {
        final LinkedBlockingQueue<byte[]> binary = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            partial.writeBytes(bytes);
            if (last) {
                binary.add(partial.toByteArray());
                partial.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }

        byte[] next() throws InterruptedException {
            byte[] frame = binary.poll(10, TimeUnit.SECONDS);
            if (frame == null) {
                throw new AssertionError("no binary frame within 10 s");
            }
            return frame;
        }
    }

    private WebSocket open(Frames frames, String path) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("mqtt")
                .buildAsync(URI.create("ws://127.0.0.1:" + listener.webSocketPort() + path), frames)
                .get(10, TimeUnit.SECONDS);
    }

    private static byte[] connect(String clientId) {
        return RawMqttClient.packet(0x10, new RawMqttClient.Body().string("MQTT").bytes(4, 0x02, 0, 60)
                .string(clientId).toBytes());
    }

    @Test
    void packetsMaySpanFramesAndFramesMayHoldSeveralPackets() throws Exception {
        Frames frames = new Frames();
        WebSocket ws = open(frames, "/mqtt");
        assertEquals("mqtt", ws.getSubprotocol());
        byte[] connect = connect("ws-fragments");
        int half = connect.length / 2;
        ws.sendBinary(ByteBuffer.wrap(connect, 0, half), false).get(5, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(connect, half, connect.length - half), true).get(5, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {0x20, 2, 0, 0}, frames.next(), "CONNACK, accepted, in a binary frame");
        ws.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 0xC0, 0, (byte) 0xC0, 0}), true).get(5, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {(byte) 0xD0, 0}, frames.next(), "a PINGRESP per PINGREQ");
        assertArrayEquals(new byte[] {(byte) 0xD0, 0}, frames.next());
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }

    @Test
    void aTextFrameClosesThatConnectionOnly() throws Exception {
        Client bystander = mqtt3.connect("ws-bystander");
        Frames frames = new Frames();
        WebSocket ws = open(frames, "/mqtt");
        ws.sendBinary(ByteBuffer.wrap(connect("ws-text")), true).get(5, TimeUnit.SECONDS);
        frames.next();
        ws.sendText("not mqtt", true).get(5, TimeUnit.SECONDS);
        frames.closed.get(10, TimeUnit.SECONDS);
        assertTrue(bystander.isConnected(), "other clients are not affected");
    }

    @Test
    void otherPathsAreNotWebSocketEndpoints() throws Exception {
        ExecutionException refused = assertThrows(ExecutionException.class, () -> open(new Frames(), "/other"));
        assertTrue(refused.getCause() instanceof WebSocketHandshakeException, refused.toString());
        assertEquals(404, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + listener.webSocketPort() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, plain.statusCode(), "a plain GET elsewhere");
        assertTrue(plain.body().contains("/mqtt"), plain.body());
    }
}
