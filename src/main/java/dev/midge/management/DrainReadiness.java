package dev.midge.management;

import dev.midge.transport.MqttListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until start-up has finished, nor while the broker drains; the connection count shows how far the
 * drain has come.
 */
@Readiness
@ApplicationScoped
public class DrainReadiness implements HealthCheck {

    private final DrainState drain;
    private final MqttListener listener;

    public DrainReadiness(DrainState drain, MqttListener listener) {
        this.drain = drain;
        this.listener = listener;
    }

    @Override
    public HealthCheckResponse call() {
        boolean draining = drain.isDraining();
        return HealthCheckResponse.named("broker-drain")
                .status(drain.takesNewClients())
                .withData("started", drain.isStarted())
                .withData("draining", draining)
                .withData("connections", listener.isBound() ? listener.connectionCount() : 0)
                .build();
    }
}
