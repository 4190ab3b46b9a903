package dev.midge.bridge;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.config.MidgeConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Kafka as an integration by configuration alone: the connector is in the build and found by its name, and a
 * connector attribute with dots in its name is given quoted. No Kafka runs here: the port is one nothing
 * listens on, and the broker starts and stays ready regardless.
 */
@QuarkusTest
@TestProfile(KafkaIntegrationConfigTest.Profile.class)
class KafkaIntegrationConfigTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "midge.integrations.kafka.connector", "smallrye-kafka",
                    "midge.integrations.kafka.topics[0]", "sensors/# out 1 \"\" site1/",
                    "midge.integrations.kafka.attributes.\"bootstrap.servers\"", "127.0.0.1:9",
                    "midge.integrations.kafka.attributes.topic", "mqtt-sensors");
        }
    }

    @Inject
    MidgeConfig config;

    @Inject
    Integrations integrations;

    @Test
    void theKafkaConnectorIsFoundByItsNameWithItsAttributes() {
        assertEquals(Map.of("bootstrap.servers", "127.0.0.1:9", "topic", "mqtt-sensors"),
                config.integrations().get("kafka").attributes());
        assertEquals(List.of("kafka"), integrations.all().stream().map(Integration::name).toList());
        assertEquals("smallrye-kafka", integrations.all().get(0).connector());
    }

    @Test
    void itsFarEndBeingAwayLeavesTheBrokerReady() {
        given().get("/q/health/ready").then().statusCode(200)
                .body(containsString("integration on smallrye-kafka"));
    }
}
