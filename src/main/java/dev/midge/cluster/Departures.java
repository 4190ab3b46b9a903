package dev.midge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.midge.persistence.Recovered;
import dev.midge.routing.Router;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * What this node does when another leaves the cluster. Every node stops its link to it and lets its plain
 * routes lead to the heir, the oldest node left ({@link OrphanRoute}), so that what is published for its
 * sessions meanwhile reaches them. The heir adopts those sessions from the cluster's copy, gives them what was
 * published for them meanwhile ({@link Arrivals}), publishes the wills of its clients, drops what the node had
 * written to the engine's maps, and then tells every node that the node's routes lead nowhere any more.
 */
final class Departures {

    private static final Logger LOG = Logger.getLogger(Departures.class);

    private final HazelcastInstance engine;
    private final Map<String, PeerLink> links;
    private final Function<String, PeerLink> link;
    private final RemoteRoutes remote;
    private final Arrivals arrivals;
    private final SessionMoves moves;
    private final KeptWills wills;
    private final Router router;
    private final Executor blocking;
    private final Consumer<String> forget;

    Departures(HazelcastInstance engine, Map<String, PeerLink> links, Function<String, PeerLink> link,
            RemoteRoutes remote, Arrivals arrivals, SessionMoves moves, KeptWills wills, Router router,
            Executor blocking, Consumer<String> forget) {
        this.engine = engine;
        this.links = links;
        this.link = link;
        this.remote = remote;
        this.arrivals = arrivals;
        this.moves = moves;
        this.wills = wills;
        this.router = router;
        this.blocking = blocking;
        this.forget = forget;
    }

    /** A node left; {@code members} is the cluster without it, oldest first. On the engine's event thread. */
    void left(String node, Set<Member> members) {
        Member oldest = members.iterator().next();
        boolean heirHere = oldest.localMember();
        PeerLink heir = heirHere ? null : link.apply(Members.nodeOf(oldest));
        PeerLink gone = links.remove(node);
        for (OrphanRoute orphans : remote.redirects()) {
            if (orphans.heir() != null && orphans.heir() == gone) {
                orphans.heir(heir);
            }
        }
        if (heirHere) {
            arrivals.expect(Targets.sessionsOf(node));
        }
        if (gone != null) {
            // Redirected before the link stops, so that nothing routed meanwhile finds neither.
            remote.redirect(gone, new OrphanRoute(node, heir));
            gone.stop();
        }
        if (heirHere) {
            blocking.execute(() -> adopt(node));
        }
    }

    /** The heir of the node that left has adopted its sessions: its routes lead nowhere any more. */
    void sessionsAdopted(String node) {
        for (OrphanRoute orphans : remote.redirects()) {
            if (orphans.nodeId().equals(node)) {
                remote.dropRedirect(orphans);
            }
        }
    }

    /** On the heir: adopts the node's durable sessions and publishes the wills of its clients. Blocking. */
    private void adopt(String node) {
        IMap<String, String> clients = engine.getMap(ClusterNode.CLIENTS);
        Map<String, String> owned = new HashMap<>();
        clients.forEach((clientId, owner) -> {
            if (owner.startsWith(node)) {
                owned.put(clientId, owner);
            }
        });
        Map<String, KeptWills.Orphan> orphanWills = new HashMap<>();
        wills.takeOf(node).forEach(will -> orphanWills.put(will.clientId(), will));
        CompletableFuture<Void> settled = new CompletableFuture<>();
        List<CompletableFuture<Recovered.StoredSession>> restoring = new ArrayList<>();
        owned.forEach((clientId, owner) -> {
            CompletableFuture<Recovered.StoredSession> restored =
                    moves.adopt(clientId, owner, orphanWills.remove(clientId), settled);
            if (restored.isDone() && restored.join() == null) {
                clients.remove(clientId, owner);
            }
            restoring.add(restored);
        });
        orphanWills.values().forEach(moves::publishWill);
        SessionMoves.await(CompletableFuture.allOf(restoring.toArray(CompletableFuture[]::new)),
                "the sessions of node " + node + " to be restored here");
        Set<String> adopted = new HashSet<>();
        List<String> filters = new ArrayList<>();
        for (CompletableFuture<Recovered.StoredSession> restored : restoring) {
            Recovered.StoredSession session = restored.getNow(null);
            if (session != null) {
                adopted.add(session.clientId());
                filters.addAll(session.subscriptions().keySet());
            }
        }
        arrivals.arrived(Targets.sessionsOf(node), adopted);
        settled.complete(null);
        SessionMoves.await(router.routesSettled(filters).toCompletableFuture(),
                "the routes of the sessions of node " + node + " to reach every node");
        sessionsAdopted(node);
        Set<Member> others = Members.others(engine);
        if (!others.isEmpty()) {
            engine.getExecutorService(ClusterNode.EXECUTOR).submitToMembers(ClusterTask.sessionsAdopted(node), others);
        }
        forget.accept(node);
        LOG.infof("The %d durable sessions of node %s, which left, are adopted here", adopted.size(), node);
    }
}
