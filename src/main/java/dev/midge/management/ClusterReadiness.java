package dev.midge.management;

import dev.midge.cluster.ClusterNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once this node has joined the cluster and holds the other nodes' routes: before that it would miss
 * messages published elsewhere. Always UP with clustering off, which it says.
 */
@Readiness
@ApplicationScoped
public class ClusterReadiness implements HealthCheck {

    private final ClusterNode cluster;

    public ClusterReadiness(ClusterNode cluster) {
        this.cluster = cluster;
    }

    @Override
    public HealthCheckResponse call() {
        ClusterNode.State state = cluster.state();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("cluster")
                .status(state == ClusterNode.State.DISABLED || state == ClusterNode.State.READY)
                .withData("enabled", cluster.enabled())
                .withData("state", state.name());
        if (state == ClusterNode.State.READY) {
            response.withData("node", cluster.nodeId())
                    .withData("members", cluster.members())
                    .withData("remoteRoutes", cluster.remoteRoutes())
                    .withData("unsyncedRouteChanges", cluster.pendingRouteChanges())
                    .withData("unreplicatedChanges", cluster.unreplicatedChanges())
                    .withData("queuedForwards", cluster.queuedForwards());
        }
        return response.build();
    }
}
