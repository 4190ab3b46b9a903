package dev.midge.bridge;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The integrations of {@link IntegrationTest} and {@link KafkaIntegrationConfigTest} side by side, so that the two
 * share one application start: each test looks only at its own integration. Kafka's topic line is one no test
 * publishes to, so that nothing waits on the Kafka that is not there. {@code SlowSubscriberTest}'s short queue
 * and timeout for a subscriber that stops reading share this start too: every subscriber in the integrations'
 * tests keeps reading. {@link MqttConnectorIntegrationTest} keeps a profile of its own: started here, minutes
 * before its mosquitto, its connector did not connect again after the test restarted the integration.
 */
public class IntegrationsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                // SmallRye's in-memory connector: IntegrationTest.
                Map.entry("midge.integrations.stream.connector", "smallrye-in-memory"),
                Map.entry("midge.integrations.stream.topics[0]", "sensors/# out 1 \"\" site1/"),
                Map.entry("midge.integrations.stream.topics[1]", "cmd/# in 1 \"\" site1/"),
                Map.entry("midge.integrations.stream.topics[2]", "chat/# both 0"),
                Map.entry("midge.integrations.stream.attributes.run-on-vertx-context", "false"),
                // Kafka, which is not running: KafkaIntegrationConfigTest.
                Map.entry("midge.integrations.kafka.connector", "smallrye-kafka"),
                Map.entry("midge.integrations.kafka.topics[0]", "kafka/# out 1 \"\" site1/"),
                Map.entry("midge.integrations.kafka.attributes.\"bootstrap.servers\"", "127.0.0.1:9"),
                Map.entry("midge.integrations.kafka.attributes.topic", "mqtt-sensors"),
                // SlowSubscriberTest.
                Map.entry("midge.slow-subscriber-timeout", "1s"),
                Map.entry("midge.max-queued-messages", "5"));
    }
}
