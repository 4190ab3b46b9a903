package dev.midge.bridge;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
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
        Map<String, String> settings = new HashMap<>();
        // SmallRye's in-memory connector: IntegrationTest.
        settings.put("midge.integrations.stream.connector", "smallrye-in-memory");
        settings.put("midge.integrations.stream.topics[0]", "sensors/# out 1 \"\" site1/");
        settings.put("midge.integrations.stream.topics[1]", "cmd/# in 1 \"\" site1/");
        settings.put("midge.integrations.stream.topics[2]", "chat/# both 0");
        settings.put("midge.integrations.stream.attributes.run-on-vertx-context", "false");
        // Kafka, which is not running: KafkaIntegrationConfigTest.
        settings.put("midge.integrations.kafka.connector", "smallrye-kafka");
        settings.put("midge.integrations.kafka.topics[0]", "kafka/# out 1 \"\" site1/");
        settings.put("midge.integrations.kafka.attributes.\"bootstrap.servers\"", "127.0.0.1:9");
        settings.put("midge.integrations.kafka.attributes.topic", "mqtt-sensors");
        // SlowSubscriberTest.
        settings.put("midge.slow-subscriber-timeout", "1s");
        settings.put("midge.max-queued-messages", "5");
        return settings;
    }
}
