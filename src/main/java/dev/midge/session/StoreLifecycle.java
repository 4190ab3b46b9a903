package dev.midge.session;

import dev.midge.eventloop.EventLoops;
import dev.midge.persistence.BrokerStore;
import dev.midge.persistence.Recovered;
import dev.midge.routing.Router;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Opens the store and puts back what it held before the listeners accept anyone; closes it once every
 * connection is gone and the event loops have handed it their last changes.
 */
@ApplicationScoped
public class StoreLifecycle {

    private static final Logger LOG = Logger.getLogger(StoreLifecycle.class);

    private final BrokerStore store;
    private final Router router;
    private final SessionRegistry sessions;
    private final EventLoops loops;
    private volatile Report report;

    /** What recovery put back, in numbers (the messages themselves belong to the sessions now). */
    public record Report(int sessions, int retained, int messages) {
    }

    public StoreLifecycle(BrokerStore store, Router router, SessionRegistry sessions, EventLoops loops) {
        this.store = store;
        this.router = router;
        this.sessions = sessions;
        this.loops = loops;
    }

    /** Reads the store and restores retained messages and sessions. Runs once, before any client connects. */
    public void recover() {
        long start = System.nanoTime();
        Recovered r = store.open();
        r.retained().forEach(router::restoreRetained);
        for (Recovered.StoredSession s : r.sessions()) {
            sessions.restore(s, loops.next());
        }
        report = new Report(r.sessions().size(), r.retained().size(), r.outboundCount());
        if (store.isEnabled()) {
            LOG.infof("Recovered %d sessions, %d retained messages and %d queued or in-flight messages from %s"
                    + " in %d ms", r.sessions().size(), r.retained().size(), r.outboundCount(),
                    store.status().location(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }

    /** What recovery loaded, or null until it has finished. */
    public Report report() {
        return report;
    }

    /** After the listeners closed their connections (default observer priority), before Vert.x stops. */
    void close(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) ShutdownEvent event) {
        if (report == null) {
            return;
        }
        // Sessions detach on their loops, hopping once when a session lives on another loop than its
        // connection; two passes through each loop mean those changes reached the store.
        loops.passThroughAll(2, Duration.ofSeconds(2));
        store.close();
        if (store.isEnabled()) {
            LOG.infof("Store %s closed", store.status().location());
        }
    }
}
