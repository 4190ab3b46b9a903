package dev.midge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MultiExecutionCallback;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/** Sends a route change to every other node through the engine's executor; done when all have answered. */
final class RouteBroadcast {

    private static final Logger LOG = Logger.getLogger(RouteBroadcast.class);

    private RouteBroadcast() {
    }

    static CompletionStage<Void> send(HazelcastInstance engine, ClusterRouter.Change change) {
        Set<Member> others = Members.others(engine);
        if (others.isEmpty()) {
            return ClusterRouter.DONE;
        }
        CompletableFuture<Void> seen = new CompletableFuture<>();
        IExecutorService executor = engine.getExecutorService(ClusterNode.EXECUTOR);
        executor.submitToMembers(ClusterTask.route(change), others, new MultiExecutionCallback() {
            @Override
            public void onResponse(Member member, Object value) {
            }

            @Override
            public void onComplete(Map<Member, Object> values) {
                values.forEach((member, value) -> {
                    if (value instanceof Throwable failure) {
                        LOG.warnf(failure, "Node %s did not take the route change of %s", member.getUuid(),
                                change.filter());
                    }
                });
                seen.complete(null);
            }
        });
        return seen;
    }
}
