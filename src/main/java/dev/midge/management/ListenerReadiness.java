package dev.midge.management;

import dev.midge.transport.MqttListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the MQTT listener is bound and while it stays open. */
@Readiness
@ApplicationScoped
public class ListenerReadiness implements HealthCheck {

    private final MqttListener listener;

    public ListenerReadiness(MqttListener listener) {
        this.listener = listener;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("mqtt-listener")
                .status(listener.isBound())
                .withData("port", listener.isBound() ? listener.port() : -1)
                .withData("connections", listener.isBound() ? listener.connectionCount() : 0)
                .build();
    }
}
