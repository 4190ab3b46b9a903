package dev.midge.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Several brokers acting as one ({@code midge.cluster.*}). */
public interface ClusterConfig {
    /** Off: this broker is alone, and no cluster engine is started. */
    @WithDefault("false")
    boolean enabled();

    /** Nodes join only a cluster of their own name. */
    @WithDefault("midge")
    String name();

    /** The address the cluster engine binds and tells the other nodes. */
    @WithDefault("127.0.0.1")
    String host();

    @WithDefault("5701")
    int port();

    /** Other nodes as host:port, for a static cluster. */
    Optional<List<String>> members();

    /**
     * A DNS name (a Kubernetes headless Service) whose A records are the nodes, looked up again whenever the
     * engine searches for nodes, so that pods started together still end up in one cluster.
     */
    Optional<String> dnsName();

    /**
     * Backup copies of each durable session, queued message and retained message, on other nodes than the one
     * that owns the entry: what survives that many nodes lost at once.
     */
    @WithDefault("1")
    int backups();

    /** A node that stops answering is dropped from the cluster after this long. */
    @WithDefault("10s")
    Duration failureTimeout();
}
