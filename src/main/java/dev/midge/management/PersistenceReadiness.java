package dev.midge.management;

import dev.midge.persistence.BrokerStore;
import dev.midge.persistence.Recovered;
import dev.midge.persistence.StoreStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once recovery has put back what the store held, and while the store's writes succeed: when they fail,
 * acknowledgements that wait for them are held back, so the broker cannot serve QoS 1/2 publishers.
 */
@Readiness
@ApplicationScoped
public class PersistenceReadiness implements HealthCheck {

    private final BrokerStore store;
    private volatile Recovered.Counts recovered;

    public PersistenceReadiness(BrokerStore store) {
        this.store = store;
    }

    /** Recovery has put back what the store held. */
    public void recovered(Recovered.Counts counts) {
        recovered = counts;
    }

    @Override
    public HealthCheckResponse call() {
        Recovered.Counts recovered = this.recovered;
        StoreStatus status = store.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("persistence")
                .status(recovered != null && status.healthy())
                .withData("enabled", status.enabled())
                .withData("recovered", recovered != null);
        if (status.enabled()) {
            response.withData("location", status.location())
                    .withData("sync", status.sync())
                    .withData("pendingChanges", status.pendingChanges())
                    .withData("fileBytes", status.fileBytes());
            if (status.lastError() != null) {
                response.withData("error", status.lastError());
            }
        }
        if (recovered != null) {
            response.withData("recoveredSessions", recovered.sessions())
                    .withData("recoveredRetained", recovered.retained())
                    .withData("recoveredMessages", recovered.messages());
        }
        return response.build();
    }
}
