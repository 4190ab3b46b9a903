package dev.midge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import dev.midge.config.ClusterConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How a node finds the others: a DNS name goes to the engine's own discovery, which looks the name up again at
 * every search (a name resolved once would leave pods that started together apart for good); a static list
 * goes to the TCP-IP join. Either way the node carries its Midge node id as a member attribute.
 */
class EngineConfigTest {

    private static final String NODE = "00000000-0000-0000-0000-00000000000a";

    @Test
    void aDnsNameIsLookedUpByTheEnginesDiscoveryOnTheClusterPort() {
        Config config = EngineConfig.build(cluster(Optional.empty(), Optional.of("midge-headless.test")), NODE,
                Map.of());
        JoinConfig join = config.getNetworkConfig().getJoin();
        assertTrue(join.getKubernetesConfig().isEnabled());
        assertEquals("midge-headless.test", join.getKubernetesConfig().getProperty("service-dns"));
        assertEquals("5801", join.getKubernetesConfig().getProperty("service-port"));
        assertFalse(join.getTcpIpConfig().isEnabled());
        assertFalse(join.getMulticastConfig().isEnabled());
        assertEquals(NODE, config.getMemberAttributeConfig().getAttribute(EngineConfig.NODE_ATTRIBUTE));
        assertEquals("10", config.getProperty("hazelcast.graceful.shutdown.max.wait"),
                "a stopping node leaves within the pod's grace period");
    }

    @Test
    void sessionsMessagesAndRetainedMessagesKeepTheConfiguredBackups() {
        Config config = EngineConfig.build(cluster(Optional.of(List.of("127.0.0.1:5802")), Optional.empty()), NODE,
                Map.of());
        for (String map : List.of(SessionReplica.SESSIONS, SessionReplica.MESSAGES, SessionReplica.RETAINED)) {
            assertEquals(2, config.getMapConfig(map).getBackupCount(), map);
            assertEquals(0, config.getMapConfig(map).getAsyncBackupCount(), map);
        }
    }

    @Test
    void aStaticListIsTheTcpIpJoinsMembers() {
        Config config = EngineConfig.build(cluster(Optional.of(List.of("10.0.0.1:5801", "10.0.0.2:5801")),
                Optional.empty()), NODE, Map.of());
        JoinConfig join = config.getNetworkConfig().getJoin();
        assertTrue(join.getTcpIpConfig().isEnabled());
        assertEquals(List.of("10.0.0.1:5801", "10.0.0.2:5801"), join.getTcpIpConfig().getMembers());
        assertFalse(join.getKubernetesConfig().isEnabled());
        assertEquals(NODE, config.getMemberAttributeConfig().getAttribute(EngineConfig.NODE_ATTRIBUTE));
    }

    private static ClusterConfig cluster(Optional<List<String>> members, Optional<String> dnsName) {
        return new TestClusterConfig("midge", 5801, members, dnsName, 2);
    }
}
