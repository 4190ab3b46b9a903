package dev.midge.session;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.Serializable;
import java.time.Instant;

/**
 * What an operator sees of a session at one moment.
 *
 * @param protocol the attached connection's protocol level, or null while offline
 * @param remoteAddress the attached connection's peer address, or null while offline
 * @param connectedSince when the attached connection took the session, or null while offline
 * @param expiryInterval seconds the session outlives its connection ({@link Session#NEVER_EXPIRES}: forever)
 * @param node the cluster node that holds the session, {@code local} when clustering is off; null until the
 *     client list names it
 */
// Serialized to JSON by the admin API inside a Response entity: kept for reflection in the native build. A
// cluster node sends it to another in an answer of the engine's executor, hence Serializable.
@RegisterForReflection
public record SessionInfo(String clientId, boolean connected, String protocol, String remoteAddress,
        Instant connectedSince, long expiryInterval, int subscriptions, int queued, int inflight, String node)
        implements Serializable {

    /** This snapshot, named with the node that holds the session. */
    public SessionInfo onNode(String holder) {
        return new SessionInfo(clientId, connected, protocol, remoteAddress, connectedSince, expiryInterval,
                subscriptions, queued, inflight, holder);
    }
}
