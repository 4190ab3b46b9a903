package dev.midge.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.midge.config.ClusterConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded Hazelcast's configuration, built in code from {@code midge.cluster.*}: no XML file to keep in
 * step. Nodes find each other by a static member list (TCP-IP join) or by a DNS name (the engine's Kubernetes
 * discovery in its DNS mode, on a headless Service: no Kubernetes API permission needed); multicast off,
 * heartbeats sized from the failure timeout, logging through JUL into Quarkus' log, no phone-home.
 */
final class EngineConfig {

    /** The member attribute holding Midge's node id, which unlike the engine's member id survives a merge. */
    static final String NODE_ATTRIBUTE = "midge.node";

    private EngineConfig() {
    }

    static Config build(ClusterConfig cluster, String nodeId, Map<String, Object> userContext) {
        Config config = new Config();
        config.setClusterName(cluster.name());
        config.setInstanceName("midge-" + cluster.host() + "-" + cluster.port());
        config.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, nodeId);
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        // Midge stops the engine itself, after its listeners: the JVM's hook would stop it under live clients.
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.health.monitoring.level", "OFF");
        // A stopping node hands its partitions to the others first; under load that can take minutes, past the
        // pod's grace period. The backups already hold every change, so the wait is bounded.
        config.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
        long timeout = Math.max(1, cluster.failureTimeout().toSeconds());
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(timeout));
        // Clusters that formed apart (a partition that healed, pods that started together and did not see each
        // other yet) look for each other every few seconds rather than after 5 minutes.
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
        config.setProperty("hazelcast.local.localAddress", cluster.host());
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.getMetricsConfig().setEnabled(false);
        config.getJetConfig().setEnabled(false);
        config.getExecutorConfig(ClusterNode.EXECUTOR).setPoolSize(4);
        for (String map : List.of(SessionReplica.SESSIONS, SessionReplica.MESSAGES, SessionReplica.RETAINED)) {
            config.getMapConfig(map).setBackupCount(cluster.backups()).setAsyncBackupCount(0);
        }
        config.setUserContext(new ConcurrentHashMap<>(userContext));
        // Quarkus loads the application's classes with its own class loader; the engine must use it to
        // deserialize the tasks nodes send each other, or they fail with ClassNotFoundException.
        config.setClassLoader(EngineConfig.class.getClassLoader());

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(cluster.port()).setPortAutoIncrement(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (cluster.dnsName().isPresent()) {
            // Looked up at every search, the merge's included: a name resolved once at start leaves pods that
            // started together in clusters of their own for good.
            join.getKubernetesConfig().setEnabled(true)
                    .setProperty("service-dns", cluster.dnsName().get())
                    .setProperty("service-port", Integer.toString(cluster.port()))
                    .setProperty("service-dns-timeout", "5");
        } else {
            join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members().orElse(List.of()))
                    .setConnectionTimeoutSeconds(2);
        }
        return config;
    }
}
