package dev.midge.management;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.testing.RawMqttClient;
import dev.midge.transport.MqttListener;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * midge.limits through the HTTP API: a flapping client id is refused with CONNACK 0x8A, listed, and let in once
 * its ban is lifted; a limited client's state shows with its session; the meters count what was exceeded. The
 * limits are set in {@link OperationsEnabledProfile}.
 */
@QuarkusTest
@TestProfile(OperationsEnabledProfile.class)
@Timeout(60)
class LimitsApiTest {

    @Inject
    MqttListener listener;

    /** The reason code of the CONNACK answering an MQTT 5 CONNECT with a clean start. */
    private int connectMqtt5(String clientId) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 5, 2, 0, 60, 0});
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        body.writeBytes(new byte[] {0, (byte) id.length});
        body.writeBytes(id);
        try (RawMqttClient client = new RawMqttClient(listener.port())) {
            client.sendPacket(RawMqttClient.CONNECT << 4, body.toByteArray());
            return client.expect(RawMqttClient.CONNACK).body()[1] & 0xFF;
        }
    }

    @Test
    void aFlappingClientIsBannedListedAndLetInOnceTheBanIsLifted() throws IOException {
        for (int i = 0; i < 2; i++) {
            assertEquals(0x00, connectMqtt5("flapping-device"), "connection " + i);
        }
        assertEquals(0x8A, connectMqtt5("flapping-device"), "Banned");
        given().get("/api/v1/bans").then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].clientId", equalTo("flapping-device"))
                .body("[0].reason", equalTo("flapping"))
                .body("[0].until", notNullValue());

        given().delete("/api/v1/bans/flapping-device").then().statusCode(401);
        given().header("Authorization", "Bearer " + OperationsEnabledProfile.TOKEN)
                .delete("/api/v1/bans/flapping-device").then().statusCode(204);
        given().header("Authorization", "Bearer " + OperationsEnabledProfile.TOKEN)
                .delete("/api/v1/bans/flapping-device").then().statusCode(404);
        given().get("/api/v1/bans").then().statusCode(200).body("", hasSize(0));
        assertEquals(0x00, connectMqtt5("flapping-device"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("midge_limit_exceeded_total{limit=\"flapping\"} 1.0"));
    }

    @Test
    void aLimitedClientShowsItsLimitWithItsSession() throws IOException {
        try (RawMqttClient limited = new RawMqttClient(listener.port());
                RawMqttClient free = new RawMqttClient(listener.port())) {
            limited.connectAccepted("limited-1", true);
            free.connectAccepted("free-1", true);
            for (int id = 1; id <= 5; id++) {
                limited.publish("limits/t", "m", 1, id, false);
                assertEquals(id, limited.expect(RawMqttClient.PUBACK).packetId(), "3.1.1: acknowledged anyway");
            }
            given().get("/api/v1/clients/limited-1").then().statusCode(200)
                    .body("clientId", equalTo("limited-1"))
                    .body("connected", equalTo(true))
                    .body("limits.publishRate", equalTo(0.1f))
                    .body("limits.onExcess", equalTo("reject"))
                    .body("limits.throttled", equalTo(false))
                    .body("limits.hits", equalTo(4));
            given().get("/api/v1/clients/free-1").then().statusCode(200)
                    .body("clientId", equalTo("free-1"))
                    .body("$", not(hasKey("limits")));
            given().get("/q/metrics").then().statusCode(200)
                    .body(containsString("midge_limit_exceeded_total{limit=\"publish-rate\"} 4.0"));
        }
    }
}
