package dev.midge.management;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Whether the broker is draining: it keeps serving its clients but should get no new ones, so readiness
 * reports DOWN. Draining starts when shutdown starts (or its delay, with {@code quarkus.shutdown.delay-enabled})
 * and on an operator's request through the admin API.
 */
@ApplicationScoped
public class DrainState {

    private volatile boolean draining;

    public boolean isDraining() {
        return draining;
    }

    public void begin() {
        draining = true;
    }

    /** Back to serving new clients (an operator's drain is cancelled). */
    public void end() {
        draining = false;
    }

    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        begin();
    }

    // Before the listener closes, so readiness turns DOWN for the drain and not only for the closed port.
    void onShutdown(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        begin();
    }
}
