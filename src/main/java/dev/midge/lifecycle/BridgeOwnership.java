package dev.midge.lifecycle;

import dev.midge.bridge.Bridge;
import dev.midge.bridge.Bridges;
import dev.midge.bridge.Integration;
import dev.midge.bridge.Integrations;
import dev.midge.cluster.BridgeKeys;
import dev.midge.cluster.BridgeOwners;
import dev.midge.cluster.ClusterNode;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * In a cluster, the start-up step that hands the bridges and integrations to the cluster's choice of owner:
 * from then on each runs on this node only while this node owns it. After recovery and joining, as they come
 * earlier in the sequence. Alone, a broker has started them all already and this step does nothing.
 */
final class BridgeOwnership {

    private final ClusterNode cluster;
    private final Bridges bridges;
    private final Integrations integrations;

    BridgeOwnership(ClusterNode cluster, Bridges bridges, Integrations integrations) {
        this.cluster = cluster;
        this.bridges = bridges;
        this.integrations = integrations;
    }

    void follow() {
        BridgeOwners owners = cluster.bridgeOwners();
        if (owners == null) {
            return;
        }
        Map<String, Consumer<Boolean>> runners = new HashMap<>();
        for (Bridge bridge : bridges.all()) {
            runners.put(BridgeKeys.bridge(bridge.name()), owned -> bridges.run(bridge.name(), owned));
        }
        for (Integration integration : integrations.all()) {
            runners.put(BridgeKeys.integration(integration.name()),
                    owned -> integrations.run(integration.name(), owned));
        }
        owners.follow(runners);
    }

    /** Ownership is followed no more; the bridges' and integrations' own steps stop them next. */
    void stop() {
        BridgeOwners owners = cluster.bridgeOwners();
        if (owners != null) {
            owners.stop();
        }
    }
}
