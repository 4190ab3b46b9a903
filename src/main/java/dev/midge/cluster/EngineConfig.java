package dev.midge.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.midge.config.ClusterConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded Hazelcast's configuration, built in code from {@code midge.cluster.*}: no XML file to keep in
 * step. TCP-IP join on a static member list or on the addresses a DNS name has at start-up (a Kubernetes
 * headless Service, which needs no Kubernetes API permission), multicast off, heartbeats sized from the failure
 * timeout, logging through JUL into Quarkus' log, no phone-home.
 */
final class EngineConfig {

    private EngineConfig() {
    }

    static Config build(ClusterConfig cluster, Map<String, Object> userContext) {
        Config config = new Config();
        config.setClusterName(cluster.name());
        config.setInstanceName("midge-" + cluster.host() + "-" + cluster.port());
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        // Midge stops the engine itself, after its listeners: the JVM's hook would stop it under live clients.
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.health.monitoring.level", "OFF");
        long timeout = Math.max(1, cluster.failureTimeout().toSeconds());
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(timeout));
        // Two halves of a healed partition look for each other every few seconds rather than after 5 minutes.
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
        config.setProperty("hazelcast.local.localAddress", cluster.host());
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.getMetricsConfig().setEnabled(false);
        config.getJetConfig().setEnabled(false);
        config.getExecutorConfig(ClusterNode.EXECUTOR).setPoolSize(4);
        config.setUserContext(new ConcurrentHashMap<>(userContext));
        // Quarkus loads the application's classes with its own class loader; the engine must use it to
        // deserialize the tasks nodes send each other, or they fail with ClassNotFoundException.
        config.setClassLoader(EngineConfig.class.getClassLoader());

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(cluster.port()).setPortAutoIncrement(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(members(cluster)).setConnectionTimeoutSeconds(2);
        return config;
    }

    /** The static members, and the addresses the DNS name resolves to now, each with the cluster port. */
    static List<String> members(ClusterConfig cluster) {
        List<String> members = new ArrayList<>(cluster.members().orElse(List.of()));
        cluster.dnsName().ifPresent(name -> {
            try {
                for (InetAddress address : InetAddress.getAllByName(name)) {
                    members.add(address.getHostAddress() + ":" + cluster.port());
                }
            } catch (UnknownHostException e) {
                // The first pod of a StatefulSet may start before its own name is published: it starts alone,
                // and the nodes after it find it.
                members.add(cluster.host() + ":" + cluster.port());
            }
        });
        return members;
    }
}
