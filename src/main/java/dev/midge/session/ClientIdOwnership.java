package dev.midge.session;

import dev.midge.message.Message;
import dev.midge.persistence.Recovered;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where a client id is owned beyond this node: a cluster records that the id connected here, so that a
 * connection with the same id on another node takes the session over. {@link #LOCAL} is a broker alone.
 */
public interface ClientIdOwnership {

    ClientIdOwnership LOCAL = new ClientIdOwnership() {
        @Override
        public void claim(String clientId) {
        }

        @Override
        public void release(String clientId) {
        }

        @Override
        public CompletionStage<Recovered.StoredSession> acquire(String clientId, boolean cleanStart) {
            return CompletableFuture.completedFuture(null);
        }
    };

    /**
     * Before a CONNECT opens the id's session on this node, which holds none: brings the session from wherever
     * the cluster keeps it, asking the node that has it to let it go. Completes, on any thread, with the
     * session as the cluster held it, to be resumed here; or with null when there is none, or on a clean start,
     * which deletes it. Never blocks the caller.
     */
    CompletionStage<Recovered.StoredSession> acquire(String clientId, boolean cleanStart);

    /**
     * A connection with a will was accepted here: a cluster keeps the will while the connection lasts, for
     * another node to publish should this one die first. Returns the key to settle it with, or null. No blocking.
     */
    default String keepWill(String clientId, Message will, long delaySeconds) {
        return null;
    }

    /** The connection whose will was kept ended here, and this node took care of its will. No blocking. */
    default void willSettled(String key) {
    }

    /** A CONNECT with this id opened or resumed its session here. Called on the connection's loop: no blocking. */
    void claim(String clientId);

    /** The id's session here has ended. Any thread, no blocking. */
    void release(String clientId);

    /** A session brought from the cluster (or the store) was restored here, on its loop. */
    default void restored(String clientId) {
    }
}
