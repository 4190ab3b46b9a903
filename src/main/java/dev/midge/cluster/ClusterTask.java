package dev.midge.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * Work one node asks another to do through the engine's executor: apply a route change, end a client's
 * session after a takeover, let a client's session go to the node it reconnected to, or stop routing to a node
 * that left once its sessions are adopted. It runs on the receiving node and finds that node's {@link ClusterNode} in the
 * engine's user context.
 */
final class ClusterTask implements Callable<Boolean>, Serializable, HazelcastInstanceAware {

    private static final long serialVersionUID = 1L;
    static final String NODE = "midge.node";

    enum Kind { ROUTE_ADDED, ROUTE_REMOVED, TAKEOVER, HAND_OVER, HAND_OVER_ENDING, SESSIONS_ADOPTED }

    private final Kind kind;
    private final String nodeId;
    private final String name;
    private final long number;
    private transient HazelcastInstance engine;

    private ClusterTask(Kind kind, String nodeId, String name, long number) {
        this.kind = kind;
        this.nodeId = nodeId;
        this.name = name;
        this.number = number;
    }

    static ClusterTask route(ClusterRouter.Change change) {
        return new ClusterTask(change.added() ? Kind.ROUTE_ADDED : Kind.ROUTE_REMOVED, change.nodeId(),
                change.filter(), change.sequence());
    }

    static ClusterTask takeover(String clientId, long incarnation) {
        return new ClusterTask(Kind.TAKEOVER, null, clientId, incarnation);
    }

    /** @param toNode the node that asks, where the session goes */
    static ClusterTask handOver(String clientId, long incarnation, boolean sessionEnds, String toNode) {
        return new ClusterTask(sessionEnds ? Kind.HAND_OVER_ENDING : Kind.HAND_OVER, toNode, clientId, incarnation);
    }

    /** The heir of a node that left has adopted its sessions: that node's routes lead nowhere any more. */
    static ClusterTask sessionsAdopted(String leftNode) {
        return new ClusterTask(Kind.SESSIONS_ADOPTED, leftNode, null, 0);
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.engine = hazelcastInstance;
    }

    @Override
    public Boolean call() {
        ClusterNode node = (ClusterNode) engine.getUserContext().get(NODE);
        if (node == null) {
            return false;
        }
        return switch (kind) {
            case ROUTE_ADDED -> node.applyRoute(nodeId, name, number, true);
            case ROUTE_REMOVED -> node.applyRoute(nodeId, name, number, false);
            case TAKEOVER -> node.takeOver(name, number);
            case HAND_OVER -> node.handOver(name, number, false, nodeId);
            case HAND_OVER_ENDING -> node.handOver(name, number, true, nodeId);
            case SESSIONS_ADOPTED -> node.sessionsAdopted(nodeId);
        };
    }
}
