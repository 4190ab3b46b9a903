package dev.midge.cluster;

import dev.midge.config.ClusterConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A {@code midge.cluster.*} configuration for tests that build the engine's configuration themselves. */
record TestClusterConfig(String name, int port, Optional<List<String>> members, Optional<String> dnsName,
        int backups) implements ClusterConfig {

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public Duration failureTimeout() {
        return Duration.ofSeconds(3);
    }
}
