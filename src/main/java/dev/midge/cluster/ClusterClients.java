package dev.midge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.MultiExecutionCallback;
import dev.midge.session.ClientListing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client list and a client's details across the cluster: every node is asked for the sessions it holds,
 * through the engine's executor, and each answer is named with its node. A node that does not answer in time,
 * or fails, is left out and named in {@link NodePart#failed}.
 */
public final class ClusterClients {

    /** One node's answer; {@code part} is empty when {@code failed}. */
    public record NodePart(String node, ClientListing.Part part, boolean failed) {
    }

    private final HazelcastInstance engine;

    ClusterClients(HazelcastInstance engine) {
        this.engine = engine;
    }

    /** Every node's first {@code limit} sessions matching {@code search}, and how many match on each. */
    public CompletableFuture<List<NodePart>> list(String search, int limit) {
        return ask(ClientsQuery.list(search, limit));
    }

    /** The one session of that client, on whichever node holds it: at most one part is not empty. */
    public CompletableFuture<List<NodePart>> find(String clientId) {
        return ask(ClientsQuery.one(clientId));
    }

    private CompletableFuture<List<NodePart>> ask(ClientsQuery query) {
        CompletableFuture<List<NodePart>> answered = new CompletableFuture<>();
        engine.getExecutorService(ClusterNode.EXECUTOR).submitToAllMembers(query, new MultiExecutionCallback() {
            @Override
            public void onResponse(Member member, Object value) {
            }

            @Override
            public void onComplete(Map<Member, Object> values) {
                List<NodePart> parts = new ArrayList<>(values.size());
                values.forEach((member, value) -> parts.add(value instanceof ClientListing.Part part
                        ? new NodePart(Members.nodeOf(member), part, false)
                        : new NodePart(Members.nodeOf(member), new ClientListing.Part(0, List.of()), true)));
                answered.complete(parts);
            }
        });
        // Each node bounds its own wait for its sessions; this bounds the wait for a node.
        return answered.orTimeout(2 * ClientListing.DESCRIBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
