package dev.midge.bridge;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.config.MidgeConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Kafka as an integration by configuration alone: the connector is in the build and found by its name, and a
 * connector attribute with dots in its name is given quoted. No Kafka runs here: the port is one nothing
 * listens on, and the broker starts and stays ready regardless.
 */
@QuarkusTest
@TestProfile(IntegrationsProfile.class)
class KafkaIntegrationConfigTest {

    @Inject
    MidgeConfig config;

    @Inject
    Integrations integrations;

    @Test
    void theKafkaConnectorIsFoundByItsNameWithItsAttributes() {
        assertEquals(Map.of("bootstrap.servers", "127.0.0.1:9", "topic", "mqtt-sensors"),
                config.integrations().get("kafka").attributes());
        Integration kafka = integrations.all().stream().filter(i -> i.name().equals("kafka")).findFirst()
                .orElseThrow();
        assertEquals("smallrye-kafka", kafka.connector());
    }

    @Test
    void itsFarEndBeingAwayLeavesTheBrokerReady() {
        given().get("/q/health/ready").then().statusCode(200)
                .body(containsString("integration on smallrye-kafka"));
    }
}
