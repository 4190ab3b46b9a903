package dev.midge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import dev.midge.config.MidgeConfig;
import dev.midge.persistence.DisabledStore;
import dev.midge.routing.ClusterRouting;
import dev.midge.routing.Router;
import dev.midge.stats.BrokerStats;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code midge.cluster.enabled=false}, the default, no engine starts and routing stays a single node's. */
class ClusterDisabledTest {

    @Test
    void noEngineStartsAndTheRouterStaysLocal() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(MidgeConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of("midge.cluster.members", "127.0.0.1:5701"),
                        "test.properties", 250)).build();
        Router router = new Router(new DisabledStore());
        ClusterNode node = new ClusterNode(config.getConfigMapping(MidgeConfig.class), router, null, new BrokerStats(),
                new DisabledStore(), null);

        node.start();

        assertEquals(ClusterNode.State.DISABLED, node.state());
        assertTrue(Hazelcast.getAllHazelcastInstances().isEmpty(), "no Hazelcast instance");
        assertNull(node.nodeId());
        assertEquals(0, node.members());
        assertSame(ClusterRouting.DONE, router.routesSettled(List.of("a/b")), "SUBACK never waits");
        node.stop();
    }
}
