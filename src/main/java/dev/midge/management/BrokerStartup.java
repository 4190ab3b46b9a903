package dev.midge.management;

import dev.midge.transport.MqttListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** Started once the MQTT listener has bound; it stays started even when the listener later closes. */
@Startup
@ApplicationScoped
public class BrokerStartup implements HealthCheck {

    private final MqttListener listener;
    private volatile boolean started;

    public BrokerStartup(MqttListener listener) {
        this.listener = listener;
    }

    @Override
    public HealthCheckResponse call() {
        boolean bound = listener.isBound();
        if (bound) {
            started = true;
        }
        return HealthCheckResponse.named("broker-startup")
                .status(started)
                .withData("port", bound ? listener.port() : -1)
                .withData("connections", bound ? listener.connectionCount() : 0)
                .build();
    }
}
