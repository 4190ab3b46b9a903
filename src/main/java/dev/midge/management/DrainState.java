package dev.midge.management;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether the broker takes new clients: not until its start-up has finished, nor while it drains, when it keeps
 * serving its clients but should get no new ones; readiness reports DOWN then. Draining starts when shutdown
 * starts (or its delay, with {@code quarkus.shutdown.delay-enabled}) and on an operator's request through the
 * admin API.
 */
@ApplicationScoped
public class DrainState {

    private volatile boolean started;
    private volatile boolean draining;

    /** Start-up has finished: the last step of the broker's start-up. */
    public void started() {
        started = true;
    }

    public boolean isStarted() {
        return started;
    }

    /** Started and not draining. */
    public boolean takesNewClients() {
        return started && !draining;
    }

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
}
