package dev.midge.management;

import dev.midge.cluster.ClusterNode;
import dev.midge.cluster.NodeDirectory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The cluster's nodes as this node sees them. */
@Path("/api/v1/cluster")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "cluster")
public class ClusterResource {

    /** The answer: whether clustering is on, this node's id and state, and every node known. */
    public record ClusterView(boolean enabled, String node, String state, int members,
            List<NodeDirectory.NodeInfo> nodes) {
    }

    private final ClusterNode cluster;

    public ClusterResource(ClusterNode cluster) {
        this.cluster = cluster;
    }

    @GET
    @Operation(summary = "The cluster's nodes: id, address, connections, subscriptions, up since, reachable")
    public ClusterView get() {
        return new ClusterView(cluster.enabled(), cluster.nodeId(), cluster.state().name(), cluster.members(),
                cluster.nodes());
    }
}
