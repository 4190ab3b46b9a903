package dev.midge.management;

import dev.midge.bridge.Bridge;
import dev.midge.bridge.Bridges;
import dev.midge.bridge.Integration;
import dev.midge.bridge.Integrations;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Each bridge's and integration's state. A bridge that is down makes the broker unready only when it is
 * configured as {@code required}, an integration never: local clients are served either way.
 */
@Readiness
@ApplicationScoped
public class BridgeReadiness implements HealthCheck {

    private final Bridges bridges;
    private final Integrations integrations;

    public BridgeReadiness(Bridges bridges, Integrations integrations) {
        this.bridges = bridges;
        this.integrations = integrations;
    }

    @Override
    public HealthCheckResponse call() {
        boolean up = true;
        HealthCheckResponseBuilder response = HealthCheckResponse.named("bridges");
        for (Bridge bridge : bridges.all()) {
            up &= bridge.isConnected() || !bridge.isRequired();
            response.withData(bridge.name(), (bridge.isConnected() ? "connected" : "disconnected") + " to "
                    + bridge.address() + ", " + bridge.queued() + " queued"
                    + (bridge.isRequired() ? ", required" : ""));
        }
        for (Integration integration : integrations.all()) {
            response.withData(integration.name(), "integration on " + integration.connector()
                    + (integration.isIncomingOpen() ? "" : ", an incoming channel failed") + ", "
                    + integration.messagesOut() + " out, " + integration.messagesIn() + " in, "
                    + integration.messagesDropped() + " dropped");
        }
        return response.status(up).build();
    }
}
