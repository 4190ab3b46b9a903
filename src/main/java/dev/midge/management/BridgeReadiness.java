package dev.midge.management;

import dev.midge.bridge.Bridge;
import dev.midge.bridge.Bridges;
import dev.midge.bridge.Integration;
import dev.midge.bridge.Integrations;
import dev.midge.cluster.BridgeKeys;
import dev.midge.cluster.BridgeOwners;
import dev.midge.cluster.ClusterNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Each bridge's and integration's state. A bridge that is down makes the broker unready only when it is
 * configured as {@code required}, an integration never: local clients are served either way. In a cluster, one
 * that another node runs is reported with that node's id and never as down here.
 */
@Readiness
@ApplicationScoped
public class BridgeReadiness implements HealthCheck {

    private final Bridges bridges;
    private final Integrations integrations;
    private final ClusterNode cluster;

    public BridgeReadiness(Bridges bridges, Integrations integrations, ClusterNode cluster) {
        this.bridges = bridges;
        this.integrations = integrations;
        this.cluster = cluster;
    }

    @Override
    public HealthCheckResponse call() {
        boolean up = true;
        HealthCheckResponseBuilder response = HealthCheckResponse.named("bridges");
        for (Bridge bridge : bridges.all()) {
            String owner = runsElsewhere(BridgeKeys.bridge(bridge.name()));
            if (owner != null) {
                response.withData(bridge.name(), "runs on node " + owner);
                continue;
            }
            up &= bridge.isConnected() || !bridge.isRequired();
            response.withData(bridge.name(), (bridge.isConnected() ? "connected" : "disconnected") + " to "
                    + bridge.address() + ", " + bridge.queued() + " queued"
                    + (bridge.isRequired() ? ", required" : "") + runsHere());
        }
        for (Integration integration : integrations.all()) {
            String owner = runsElsewhere(BridgeKeys.integration(integration.name()));
            if (owner != null) {
                response.withData(integration.name(), "integration on " + integration.connector() + ", runs on node "
                        + owner);
                continue;
            }
            response.withData(integration.name(), "integration on " + integration.connector()
                    + (integration.isIncomingOpen() ? "" : ", an incoming channel failed") + ", "
                    + integration.messagesOut() + " out, " + integration.messagesIn() + " in, "
                    + integration.messagesDropped() + " dropped" + runsHere());
        }
        return response.status(up).build();
    }

    /**
     * The node that runs it when that is another node; null when this node does, when clustering is off, and
     * when this node is not in a running cluster (stopping), where its own state is what there is to say.
     */
    private String runsElsewhere(String key) {
        BridgeOwners owners = cluster.bridgeOwners();
        String owner = owners == null ? null : owners.ownerOf(key);
        return owner == null || owner.equals(cluster.nodeId()) ? null : owner;
    }

    private String runsHere() {
        return cluster.bridgeOwners() == null ? "" : ", runs on this node " + cluster.nodeId();
    }
}
