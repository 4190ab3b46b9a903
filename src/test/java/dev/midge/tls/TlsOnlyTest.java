package dev.midge.tls;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.transport.MqttListener;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** {@code midge.mqtt.enabled=false}: a broker that speaks only TLS opens no plain port and is still ready. */
@QuarkusTest
@TestProfile(TlsOnlyTest.Profile.class)
class TlsOnlyTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(new MutualTlsProfile().getConfigOverrides());
            config.put("midge.mqtt.enabled", "false");
            config.put("midge.tls.client-auth", "none");
            return config;
        }
    }

    @Inject
    MqttListener listener;

    @Test
    void onlyTheTlsListenerIsBoundAndTheBrokerIsReady() throws Exception {
        assertEquals(-1, listener.port(), "no plain listener");
        try (SSLSocket socket = (SSLSocket) TestCertificates.clientContext(false).getSocketFactory()
                .createSocket("127.0.0.1", listener.tlsPort())) {
            socket.startHandshake();
        }
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
