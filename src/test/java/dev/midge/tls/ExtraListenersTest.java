package dev.midge.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.Mqtt3Clients;
import dev.midge.testing.Mqtt3Clients.Client;
import dev.midge.testing.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Listeners beyond the built-in ones ({@code midge.listeners.<name>}): a plain one with authentication of its
 * own, WebSocket ones (at the shared path, at a path of their own, at any path), a TLS one with mutual TLS whose
 * clients are known by their certificate's subject, and a plain one with a connection limit of its own.
 */
@QuarkusTest
@TestProfile(ExtraListenersTest.Profile.class)
@Timeout(60)
class ExtraListenersTest extends BrokerTestBase {

    private static final int CAPPED_MAX_CONNECTIONS = 2;

    /** Anyone may do anything, but the subject user only on devices/#, and the lan listener takes no anonymous. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            TestCertificates.create();
            Path acl = TestCertificates.DIR.resolve("extra-listeners.acl");
            try {
                Files.writeString(acl, "topic readwrite #\nuser " + TestCertificates.SUBJECT_USER
                        + "\ntopic readwrite devices/#\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path certs = TestCertificates.DIR;
            return Map.ofEntries(
                    Map.entry("midge.auth.acl-file", acl.toString()),
                    Map.entry("midge.listeners.lan.port", "0"),
                    Map.entry("midge.listeners.capped.port", "0"),
                    Map.entry("midge.listeners.capped.host", "127.0.0.1"),
                    Map.entry("midge.listeners.capped.max-connections", String.valueOf(CAPPED_MAX_CONNECTIONS)),
                    Map.entry("midge.listeners.lan.host", "127.0.0.1"),
                    Map.entry("midge.listener-auth.lan.allow-anonymous", "false"),
                    Map.entry("midge.listeners.browsers.port", "0"),
                    Map.entry("midge.listeners.browsers.websocket", "true"),
                    Map.entry("midge.listeners.kiosk.port", "0"),
                    Map.entry("midge.listeners.kiosk.websocket", "true"),
                    Map.entry("midge.listeners.kiosk.websocket-path", "/kiosk"),
                    Map.entry("midge.listeners.anywhere.port", "0"),
                    Map.entry("midge.listeners.anywhere.websocket", "true"),
                    Map.entry("midge.listeners.anywhere.websocket-path", "*"),
                    Map.entry("midge.listeners.devices.port", "0"),
                    Map.entry("midge.listeners.devices.cert-file", certs.resolve("server1001.crt").toString()),
                    Map.entry("midge.listeners.devices.key-file", certs.resolve("server1001.key").toString()),
                    Map.entry("midge.listeners.devices.ca-file", certs.resolve("ca.crt").toString()),
                    Map.entry("midge.listeners.devices.client-auth", "required"),
                    Map.entry("midge.listeners.devices.use-identity-as-username", "true"),
                    Map.entry("midge.listeners.devices.identity-source", "subject"));
        }
    }

    @Test
    void aListenerWithItsOwnAuthenticationRefusesAnonymousClientsTheBuiltInOneLetsIn() throws Exception {
        assertNotEquals(-1, listener.port("lan"));
        Mqtt3ConnAckException refused = assertThrows(Mqtt3ConnAckException.class,
                () -> mqtt3.connect("lan-anonymous", Mqtt3Clients.options().port(listener.port("lan"))));
        assertEquals(5, refused.getMqttMessage().getReturnCode().getCode(), "not authorized");
        mqtt3.connect("builtin-anonymous").publish("open/door", "fine", 1, false);
    }

    @Test
    void aListenerRefusesConnectionsOverItsOwnLimitWhileTheOthersStillAccept() throws Exception {
        int capped = listener.port("capped");
        for (int i = 0; i < CAPPED_MAX_CONNECTIONS; i++) {
            raw(capped).connectAccepted("capped-" + i, true);
        }
        long refused = stats.connectionsRefused();
        RawMqttClient extra = raw(capped);
        try {
            extra.connect("capped-extra", true, 60);
        } catch (IOException e) {
            // Already closed by the server: what the read below expects anyway.
        }
        assertTrue(extra.closedWithoutAnswerWithin(5_000), "over the listener's limit: closed with no CONNACK");
        assertEquals(refused + 1, stats.connectionsRefused(), "counted as refused");
        assertTrue(mqtt3.connect("capped-elsewhere").isConnected(), "the built-in listener still accepts");
        raw(listener.port("lan")).connect("capped-lan", true, 60).expect(RawMqttClient.CONNACK);
    }

    @Test
    void aWebSocketListenerCarriesMqttToTcpClients() throws Exception {
        Client tcp = mqtt3.connect("extra-ws-tcp-side");
        tcp.subscribe("browsers/#", 1);
        Client browser = mqtt3.connect("extra-ws",
                Mqtt3Clients.options().port(listener.port("browsers")).webSocket("mqtt"));
        browser.publish("browsers/hello", "over the extra WebSocket listener", 1, false);
        assertEquals("over the extra WebSocket listener", tcp.next().payload());
    }

    @Test
    void aWebSocketListenerTakesTheUpgradeAtItsOwnPathOrAtAnyPath() throws Exception {
        for (String path : List.of("/", "/mqtt", "/some/where?x=1")) {
            WebSocket ws = upgrade(listener.port("anywhere"), path);
            assertEquals("mqtt", ws.getSubprotocol(), path);
            ws.abort();
        }
        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + listener.port("anywhere") + "/")).build(), BodyHandlers.ofString());
        assertEquals(400, plain.statusCode(), "a plain GET at any path: not an upgrade");
        upgrade(listener.port("kiosk"), "/kiosk").abort();
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> upgrade(listener.port("kiosk"), "/mqtt"));
        assertEquals(404, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());

        Client tcp = mqtt3.connect("any-path-tcp-side");
        tcp.subscribe("anywhere/#", 1);
        mqtt3.connect("any-path", Mqtt3Clients.options().port(listener.port("anywhere")).webSocket(""))
                .publish("anywhere/hello", "through /", 1, false);
        assertEquals("through /", tcp.next().payload());
    }

    private static WebSocket upgrade(int port, String path) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("mqtt")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + path), new WebSocket.Listener() {
                }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void theTlsListenersClientsAreKnownByTheirCertificatesSubject() throws Exception {
        Client device = mqtt3.connect("subject-device", tls("subject-client"));
        device.subscribe("devices/#", 1);
        Client other = mqtt3.connect("cn-device", tls("client"));
        other.publish("devices/42/temp", "CN=device-42 has no devices/# in the ACL", 1, false);
        device.publish("devices/43/temp", "21.5", 1, false);
        assertEquals("21.5", device.next().payload(), "the ACL's entry for the subject applies, the other's not");
    }

    @Test
    void readinessListsEachListenersPort() {
        RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'mqtt-listener' }.data['listener.devices.port']",
                        Matchers.equalTo(listener.port("devices")))
                .body("checks.find { it.name == 'mqtt-listener' }.data['listener.browsers.port']",
                        Matchers.equalTo(listener.port("browsers")));
    }

    @Test
    void theDashboardShowsEachListenersKind() {
        RestAssured.given().get("/api/v1/dashboard/system").then().statusCode(200)
                .body("listeners.name", Matchers.contains("mqtt", "anywhere", "browsers", "capped", "devices", "kiosk",
                        "lan"))
                .body("listeners.kind", Matchers.contains("mqtt", "ws", "ws", "mqtt", "tls", "ws", "mqtt"))
                .body("listeners.find { it.name == 'devices' }.port", Matchers.equalTo(listener.port("devices")))
                .body("listeners.bound", Matchers.everyItem(Matchers.equalTo(true)));
    }

    private Mqtt3Clients.Options tls(String clientCertificate) throws Exception {
        return Mqtt3Clients.options().port(listener.port("devices")).tls(TestCertificates.clientSsl(clientCertificate));
    }
}
