package dev.midge.management;

import dev.midge.transport.MqttListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once every configured MQTT listener is bound and while they stay open; -1 for a port not configured.
 * Each {@code midge.listeners.<name>} listener's port is {@code listener.<name>.port}.
 */
@Readiness
@ApplicationScoped
public class ListenerReadiness implements HealthCheck {

    private final MqttListener listener;

    public ListenerReadiness(MqttListener listener) {
        this.listener = listener;
    }

    @Override
    public HealthCheckResponse call() {
        boolean bound = listener.isBound();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("mqtt-listener");
        for (String name : listener.extraListeners()) {
            response.withData("listener." + name + ".port", bound ? listener.port(name) : -1);
        }
        return response.status(bound)
                .withData("port", bound ? listener.port() : -1)
                .withData("tlsPort", bound ? listener.tlsPort() : -1)
                .withData("webSocketPort", bound ? listener.webSocketPort() : -1)
                .withData("secureWebSocketPort", bound ? listener.secureWebSocketPort() : -1)
                .withData("connections", bound ? listener.connectionCount() : 0)
                .build();
    }
}
