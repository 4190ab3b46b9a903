package dev.midge.management;

import dev.midge.bridge.Bridge;
import dev.midge.bridge.Bridges;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Each bridge's state. A bridge that is down makes the broker unready only when it is configured as
 * {@code required}: local clients are served either way.
 */
@Readiness
@ApplicationScoped
public class BridgeReadiness implements HealthCheck {

    private final Bridges bridges;

    public BridgeReadiness(Bridges bridges) {
        this.bridges = bridges;
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
        return response.status(up).build();
    }
}
