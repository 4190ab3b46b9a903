package dev.midge.management.dashboard;

import dev.midge.bridge.Bridges;
import dev.midge.bridge.Integrations;
import dev.midge.cluster.BridgeKeys;
import dev.midge.cluster.BridgeOwners;
import dev.midge.cluster.ClusterNode;
import dev.midge.management.ClusterResource;
import dev.midge.management.ConfigEntry;
import dev.midge.management.EffectiveConfig;
import dev.midge.transport.ListenerState;
import dev.midge.transport.MqttListener;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** What the dashboard's overview and system pages read, behind {@link DashboardAccessFilter}. */
@Path(DashboardAccessFilter.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dashboard")
public class DashboardResource {

    @RegisterForReflection
    public record BridgeState(String name, String address, boolean connected, boolean required, int queued,
            long messagesIn, long messagesOut, long messagesDropped, String owner) {
    }

    /** {@code owner}: in a cluster, the node that runs it; null when clustering is off. */
    @RegisterForReflection
    public record IntegrationState(String name, String connector, boolean incomingOpen, long messagesIn,
            long messagesOut, long messagesDropped, String owner) {
    }

    /**
     * The system page: every listener, the connections open on all of them, bridges and integrations, and
     * whether clustering is on.
     */
    @RegisterForReflection
    public record SystemState(List<ListenerState> listeners, int connections, List<BridgeState> bridges,
            List<IntegrationState> integrations, boolean clusterEnabled, String node) {
    }

    private final DashboardSampler sampler;
    private final BrokerTotals totals;
    private final MqttListener listener;
    private final Bridges bridges;
    private final Integrations integrations;
    private final ClusterNode cluster;
    private final EffectiveConfig config;
    private final ClusterResource nodes;

    public DashboardResource(DashboardSampler sampler, BrokerTotals totals, MqttListener listener, Bridges bridges,
            Integrations integrations, ClusterNode cluster, EffectiveConfig config, ClusterResource nodes) {
        this.nodes = nodes;
        this.sampler = sampler;
        this.totals = totals;
        this.listener = listener;
        this.bridges = bridges;
        this.integrations = integrations;
        this.cluster = cluster;
        this.config = config;
    }

    @GET
    @Path("/overview")
    @Operation(summary = "Connections, sessions, subscriptions, retained messages, message and byte totals, "
            + "drops and limit hits by kind, and the event loops' health, now")
    public BrokerTotals.Overview overview() {
        return totals.now();
    }

    @GET
    @Path("/samples")
    @Operation(summary = "One sample a second for the last 15 minutes, oldest first")
    public List<Sample> samples() {
        return sampler.history();
    }

    @GET
    @Path("/samples/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Server-sent events: each new sample, one a second")
    public Multi<Sample> stream() {
        return sampler.live();
    }

    @GET
    @Path("/system")
    @Operation(summary = "Every MQTT listener (name, kind, address, port, bound, open connections), the "
            + "bridges and integrations with their state")
    public SystemState system() {
        List<BridgeState> bridgeStates = bridges.all().stream()
                .map(b -> new BridgeState(b.name(), b.address(), b.isConnected(), b.isRequired(), b.queued(),
                        b.messagesIn(), b.messagesOut(), b.messagesDropped(),
                        owner(BridgeKeys.bridge(b.name()))))
                .toList();
        List<IntegrationState> integrationStates = integrations.all().stream()
                .map(i -> new IntegrationState(i.name(), i.connector(), i.isIncomingOpen(), i.messagesIn(),
                        i.messagesOut(), i.messagesDropped(), owner(BridgeKeys.integration(i.name()))))
                .toList();
        return new SystemState(listener.states(), listener.isBound() ? listener.connectionCount() : 0, bridgeStates,
                integrationStates, cluster.enabled(), cluster.nodeId());
    }

    private String owner(String key) {
        BridgeOwners owners = cluster.bridgeOwners();
        return owners == null ? null : owners.ownerOf(key);
    }

    @GET
    @Path("/config")
    @Operation(summary = "The effective midge.* configuration, secrets redacted (as /api/v1/config)")
    public List<ConfigEntry> config() {
        return config.all();
    }

    @GET
    @Path("/cluster")
    @Operation(summary = "The cluster's nodes (as /api/v1/cluster)")
    public ClusterResource.ClusterView cluster() {
        return nodes.get();
    }
}
