package dev.midge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.midge.routing.Router;
import dev.midge.stats.BrokerStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What each node tells the others about itself, for operators: its address, connections and subscriptions,
 * and since when it runs. Every node writes its own line into the engine's map every few seconds; a node that
 * left stays listed, unreachable, until the oldest node forgets it.
 */
public final class NodeDirectory {

    static final String NODES = "midge.nodes";
    private static final long PERIOD_SECONDS = 2;

    /** One node, as {@code GET /api/v1/cluster} shows it. */
    public record NodeInfo(String id, String address, long connections, int subscriptions, Instant upSince,
            boolean reachable, boolean local) {
    }

    private final HazelcastInstance engine;
    private final String nodeId;
    private final Router router;
    private final BrokerStats stats;
    private final ScheduledExecutorService timer;
    private final Instant upSince = Instant.now();
    private ScheduledFuture<?> task;

    NodeDirectory(HazelcastInstance engine, String nodeId, Router router, BrokerStats stats,
            ScheduledExecutorService timer) {
        this.engine = engine;
        this.nodeId = nodeId;
        this.router = router;
        this.stats = stats;
        this.timer = timer;
    }

    void start() {
        publish();
        task = timer.scheduleWithFixedDelay(this::publish, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    void forget(String node) {
        engine.<String, String>getMap(NODES).delete(node);
    }

    private void publish() {
        String line = engine.getCluster().getLocalMember().getAddress().getHost() + ":"
                + engine.getCluster().getLocalMember().getAddress().getPort() + "|" + stats.clientsConnected()
                + "|" + router.subscriptions().size() + "|" + upSince.toEpochMilli();
        engine.<String, String>getMap(NODES).set(nodeId, line);
    }

    List<NodeInfo> nodes() {
        Set<String> reachable = new HashSet<>();
        for (Member member : engine.getCluster().getMembers()) {
            reachable.add(Members.nodeOf(member));
        }
        IMap<String, String> lines = engine.getMap(NODES);
        Map<String, NodeInfo> nodes = new TreeMap<>();
        lines.forEach((id, line) -> nodes.put(id, parse(id, line, reachable.contains(id))));
        for (Member member : engine.getCluster().getMembers()) {
            String id = Members.nodeOf(member);
            nodes.putIfAbsent(id, new NodeInfo(id, member.getAddress().getHost() + ":" + member.getAddress().getPort(),
                    0, 0, null, true, id.equals(nodeId)));
        }
        return new ArrayList<>(nodes.values());
    }

    private NodeInfo parse(String id, String line, boolean reachable) {
        String[] fields = line.split("\\|");
        return new NodeInfo(id, fields[0], Long.parseLong(fields[1]), Integer.parseInt(fields[2]),
                Instant.ofEpochMilli(Long.parseLong(fields[3])), reachable, id.equals(nodeId));
    }
}
