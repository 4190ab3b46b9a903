package dev.midge.management;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.cluster.ClusterNode;
import dev.midge.config.MidgeConfig;
import dev.midge.persistence.DisabledStore;
import dev.midge.routing.Router;
import dev.midge.stats.BrokerStats;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** Readiness waits for the cluster: DOWN while the node has not joined; UP when clustering is off. */
class ClusterReadinessTest {

    private static ClusterNode node(String enabled) {
        MidgeConfig config = new SmallRyeConfigBuilder().withMapping(MidgeConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of("midge.cluster.enabled", enabled,
                        "midge.cluster.members", "127.0.0.1:5701"), "test.properties", 250))
                .build().getConfigMapping(MidgeConfig.class);
        return new ClusterNode(config, new Router(new DisabledStore()), null, new BrokerStats(), new DisabledStore(), null);
    }

    @Test
    void downUntilTheNodeHasJoined() {
        HealthCheckResponse response = new ClusterReadiness(node("true")).call();
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        assertEquals("JOINING", response.getData().orElseThrow().get("state"));
    }

    @Test
    void upWhenClusteringIsOff() {
        HealthCheckResponse response = new ClusterReadiness(node("false")).call();
        assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
        assertEquals(false, response.getData().orElseThrow().get("enabled"));
    }
}
