package dev.midge.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.midge.bridge.Bridge;
import dev.midge.bridge.Bridges;
import dev.midge.lifecycle.HangupReloadLimitsTest;
import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.MosquittoBroker;
import dev.midge.testing.Mqtt3Clients;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bridge over TLS, verifying the remote broker's certificate and host name against a CA file and presenting
 * a client certificate: here the remote broker is this broker's own TLS listener, and the bridge carries
 * {@code loop/#} to {@code bridged/loop/#}, which no out topic matches again.
 */
@QuarkusTest
@TestProfile(BridgeTlsTest.Profile.class)
@Timeout(60)
public class BridgeTlsTest extends BrokerTestBase {

    /**
     * Also {@link WebSocketTest}'s WebSocket listeners, and {@link HangupReloadLimitsTest}'s limits file (a memory
     * mark far above what the TLS tests hold, no rate), so that both share this application start.
     */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            TestCertificates.create();
            String port = String.valueOf(tlsPort());
            // The files as issued, not the mount, which other tests swap while they run.
            return Map.ofEntries(
                    Map.entry("midge.websocket.enabled", "true"),
                    Map.entry("midge.websocket.port", "0"),
                    Map.entry("midge.websocket.tls-port", "0"),
                    Map.entry("midge.limits.file", HangupReloadLimitsTest.FILE.toString()),
                    Map.entry("midge.tls.port", port),
                    Map.entry("midge.tls.cert-file", TestCertificates.DIR.resolve("server1001.crt").toString()),
                    Map.entry("midge.tls.key-file", TestCertificates.DIR.resolve("server1001.key").toString()),
                    Map.entry("midge.bridges.self.address", "localhost:" + port),
                    Map.entry("midge.bridges.self.ca-file", TestCertificates.DIR.resolve("ca.crt").toString()),
                    Map.entry("midge.bridges.self.cert-file", TestCertificates.DIR.resolve("client.crt").toString()),
                    Map.entry("midge.bridges.self.key-file", TestCertificates.DIR.resolve("client.key").toString()),
                    Map.entry("midge.bridges.self.topics[0]", "loop/# out 1 \"\" bridged/"),
                    // The JDK's trusted CAs do not include the test CA: this one never gets through.
                    Map.entry("midge.bridges.untrusted.address", "localhost:" + port),
                    Map.entry("midge.bridges.untrusted.tls", "true"),
                    Map.entry("midge.bridges.untrusted.reconnect-delay", "100ms"),
                    Map.entry("midge.bridges.untrusted.topics[0]", "never/# out 0"));
        }
    }

    /** One port for the whole JVM: Quarkus reads the profile in two class loaders. */
    static synchronized int tlsPort() {
        if (System.getProperty("midgetest.bridge-tls.port") == null) {
            try {
                System.setProperty("midgetest.bridge-tls.port", String.valueOf(MosquittoBroker.freePort()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Integer.getInteger("midgetest.bridge-tls.port");
    }

    @Inject
    Bridges bridges;

    @Test
    void aBridgeOverTlsVerifiesItsRemoteAndCarriesMessages() throws Exception {
        await().atMost(Duration.ofSeconds(15)).until(() -> bridge("self").isConnected());
        Mqtt3Clients.Client subscriber = mqtt3.connect("bridge-tls-far");
        subscriber.subscribe("bridged/#", 1);
        mqtt3.connect("bridge-tls-near").publish("loop/x", "over tls", 1, false);
        Mqtt3Clients.Received received = subscriber.next();
        assertEquals("bridged/loop/x", received.topic());
        assertEquals("over tls", received.payload());
        assertEquals("tls:localhost:" + tlsPort(), bridge("self").address());
        assertFalse(bridge("untrusted").isConnected(), "a certificate from an untrusted CA is refused");
    }

    private Bridge bridge(String name) {
        return bridges.all().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }
}
