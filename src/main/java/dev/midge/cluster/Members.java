package dev.midge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import java.util.HashSet;
import java.util.Set;

/**
 * The engine's members by Midge's node id. The engine gives a member a new id of its own when it merges into
 * another cluster, so routes, client ids and forwarding are keyed by the node id each node sets as a member
 * attribute at start, which stays the same for the life of the process.
 */
final class Members {

    private Members() {
    }

    static String nodeOf(Member member) {
        return member.getAttribute(EngineConfig.NODE_ATTRIBUTE);
    }

    /** Every member but this one. */
    static Set<Member> others(HazelcastInstance engine) {
        Set<Member> others = new HashSet<>(engine.getCluster().getMembers());
        others.remove(engine.getCluster().getLocalMember());
        return others;
    }

    /** The member that is the given node now, or null when the node is not in this cluster. */
    static Member find(HazelcastInstance engine, String nodeId) {
        for (Member member : engine.getCluster().getMembers()) {
            if (nodeId.equals(nodeOf(member))) {
                return member;
            }
        }
        return null;
    }
}
