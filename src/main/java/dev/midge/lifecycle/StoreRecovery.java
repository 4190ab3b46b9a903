package dev.midge.lifecycle;

import dev.midge.eventloop.EventLoops;
import dev.midge.persistence.BrokerStore;
import dev.midge.persistence.Recovered;
import dev.midge.routing.Router;
import dev.midge.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Opens the store, puts back what it held into the router and the sessions, and closes it once every
 * connection is gone and the event loops have handed it their last changes.
 */
@ApplicationScoped
public class StoreRecovery {

    private static final Logger LOG = Logger.getLogger(StoreRecovery.class);

    private final BrokerStore store;
    private final Router router;
    private final SessionRegistry sessions;
    private final EventLoops loops;
    private Recovered recovered;
    private long openedAt;

    public StoreRecovery(BrokerStore store, Router router, SessionRegistry sessions, EventLoops loops) {
        this.store = store;
        this.router = router;
        this.sessions = sessions;
        this.loops = loops;
    }

    /** Reads the store. */
    void open() {
        openedAt = System.nanoTime();
        recovered = store.open();
    }

    /** Restores retained messages and sessions from what {@link #open} read, and lets go of it. */
    Recovered.Counts restore() {
        Recovered r = recovered;
        recovered = null;
        r.retained().forEach(router::restoreRetained);
        for (Recovered.StoredSession s : r.sessions()) {
            sessions.restore(s, loops.next());
        }
        Recovered.Counts counts = r.counts();
        if (store.isEnabled()) {
            LOG.infof("Recovered %d sessions, %d retained messages and %d queued or in-flight messages from %s"
                    + " in %d ms", counts.sessions(), counts.retained(), counts.messages(),
                    store.status().location(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAt));
        }
        return counts;
    }

    /** Once the connections are closed: writes what is pending and closes the store. Blocks. */
    void close() {
        // Sessions detach on their loops, hopping once when a session lives on another loop than its
        // connection; two passes through each loop mean those changes reached the store.
        loops.passThroughAll(2, Duration.ofSeconds(2));
        store.close();
        if (store.isEnabled()) {
            LOG.infof("Store %s closed", store.status().location());
        }
    }
}
