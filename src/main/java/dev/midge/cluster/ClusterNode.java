package dev.midge.cluster;

import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.topic.ITopic;
import dev.midge.config.ClusterConfig;
import dev.midge.config.MidgeConfig;
import dev.midge.eventloop.EventLoops;
import dev.midge.message.Message;
import dev.midge.persistence.BrokerStore;
import dev.midge.routing.Router;
import dev.midge.session.SessionRegistry;
import dev.midge.stats.BrokerStats;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;

/**
 * This broker as a node of the cluster: starts the embedded engine when {@code midge.cluster.enabled}, joins,
 * loads the other nodes' routes, and then routes, forwards and owns client ids through it; stops it at
 * shutdown. With clustering off it does nothing and the engine's classes are never loaded.
 */
@ApplicationScoped
public class ClusterNode {

    private static final Logger LOG = Logger.getLogger(ClusterNode.class);
    static final String EXECUTOR = "midge.cluster";
    static final String ROUTES = "midge.routes";
    static final String CLIENTS = "midge.clients";
    private static final String FORWARD = "midge.forward.";

    /** Where the node stands; readiness is UP in {@link #READY} only. */
    public enum State { DISABLED, JOINING, READY, STOPPED }

    private final ClusterConfig config;
    private final Duration slowSubscriberTimeout;
    private final Router router;
    private final SessionRegistry sessions;
    private final BrokerStats brokerStats;
    private final ClusterStats stats = new ClusterStats();
    private final RemoteRoutes remote = new RemoteRoutes();
    private final Map<String, PeerLink> links = new ConcurrentHashMap<>();
    private volatile State state;
    private volatile boolean acceptingForwards = true;
    private HazelcastInstance engine;
    private String nodeId;
    private ClusterRouter clusterRouter;
    private ClientOwnership ownership;
    private ScheduledExecutorService blocking;
    private NodeDirectory directory;
    private final ReplicatedStore store;
    private final EventLoops loops;
    private ExecutorService handOvers;
    private SessionMoves moves;
    private Arrivals arrivals;
    private volatile Departures departures;
    private volatile ClusterClients clients;
    private KeptWills wills;
    private final Set<String> bridgeKeys;
    private volatile BridgeOwners bridgeOwners;

    public ClusterNode(MidgeConfig config, Router router, SessionRegistry sessions, BrokerStats brokerStats,
            BrokerStore store, EventLoops loops) {
        this.config = config.cluster();
        this.store = store instanceof ReplicatedStore replicated ? replicated : null;
        this.loops = loops;
        this.slowSubscriberTimeout = config.slowSubscriberTimeout();
        this.brokerStats = brokerStats;
        this.router = router;
        this.sessions = sessions;
        this.state = this.config.enabled() ? State.JOINING : State.DISABLED;
        this.bridgeKeys = this.config.enabled() ? BridgeKeys.configured(config) : Set.of();
    }

    /** Joins the cluster and loads the routes, blocking: a start-up step, never on an event loop. */
    public void start() {
        if (!config.enabled()) {
            return;
        }
        blocking = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "midge-cluster");
            thread.setDaemon(true);
            return thread;
        });
        handOvers = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "midge-session-move");
            thread.setDaemon(true);
            return thread;
        });
        nodeId = UUID.randomUUID().toString();
        EngineCallbacks.install();
        engine = Hazelcast.newHazelcastInstance(BridgeOwners.advertise(EngineConfig.build(config, nodeId,
                Map.of(ClusterTask.NODE, this, ClientsQuery.SESSIONS, sessions)), bridgeKeys));
        bridgeOwners = new BridgeOwners(engine, nodeId);
        store.joined(new SessionReplica(engine), engine.getCluster().getMembers().size() == 1);
        IMap<String, Long> routes = engine.getMap(ROUTES);
        clusterRouter = new ClusterRouter(nodeId, routes, change -> RouteBroadcast.send(engine, change), remote,
                links::values, this::orphaned);
        arrivals = new Arrivals(router, store, blocking);
        moves = new SessionMoves(engine, nodeId, sessions, store, loops, router, this::link, blocking, arrivals);
        clients = new ClusterClients(engine);
        wills = new KeptWills(engine, nodeId);
        ownership = new ClientOwnership(nodeId, engine.getMap(CLIENTS), this::sendTakeover, blocking, store,
                moves::request, handOvers, wills, node -> Members.find(engine, node) != null, moves::restored);
        moves.ownedBy(ownership);
        departures = new Departures(engine, links, this::link, remote, arrivals, moves, wills, router, blocking,
                this::forgetNode);
        Inbox inbox = new Inbox(nodeId, router, stats, slowSubscriberTimeout, blocking, links::get, this::sendTo,
                store, arrivals, () -> acceptingForwards);
        engine.<byte[]>getTopic(FORWARD + nodeId)
                .addMessageListener(message -> inbox.receive(message.getMessageObject()));
        engine.getCluster().addMembershipListener(new Membership());
        routes.addEntryListener(new RouteEvents(), true);
        engine.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                blocking.execute(this::merged);
            }
        });
        loadRoutes();
        directory = new NodeDirectory(engine, nodeId, router, brokerStats, blocking);
        directory.start();
        router.joinCluster(clusterRouter);
        sessions.ownedBy(ownership);
        state = State.READY;
        LOG.infof("Cluster %s joined as node %s at %s, %d members, %d routes loaded", config.name(), nodeId,
                engine.getLocalEndpoint().getSocketAddress(), engine.getCluster().getMembers().size(), remote.size());
    }

    /** Leaves the cluster: the others drop this node's routes and client ids when it is gone. */
    public void stop() {
        if (engine == null) {
            return;
        }
        state = State.STOPPED;
        // The sessions' last changes (their clients went away as the listeners stopped) reach the cluster's
        // copy before this node leaves it, so that the node that adopts them finds them as they were.
        loops.passThroughAll(2, Duration.ofSeconds(2));
        // From here on what this node took would stay in its own store, which the cluster does not read again.
        acceptingForwards = false;
        SessionMoves.await(store.replicated(), "the sessions' last changes to reach the cluster");
        store.left();
        links.values().forEach(PeerLink::stop);
        links.clear();
        directory.stop();
        engine.shutdown();
        blocking.shutdownNow();
        handOvers.shutdownNow();
        engine = null;
    }

    public State state() {
        return state;
    }

    public boolean enabled() {
        return config.enabled();
    }

    public ClusterStats stats() {
        return stats;
    }

    /** The client list across the cluster, once this node has joined; null while clustering is off. */
    public ClusterClients clients() {
        return clients;
    }

    /** Which node runs each bridge and integration, once this node has joined; null while clustering is off. */
    public BridgeOwners bridgeOwners() {
        return bridgeOwners;
    }

    /** This node's id in the cluster, or null when clustering is off or not started. */
    public String nodeId() {
        return nodeId;
    }

    /** Members of the cluster as this node sees it (itself included); 0 when off. */
    public int members() {
        HazelcastInstance current = engine;
        return current == null ? 0 : current.getCluster().getMembers().size();
    }

    /** Other nodes' routes held here. */
    public int remoteRoutes() {
        return remote.size();
    }

    /** Route changes of this node not yet seen by every other node. */
    public int pendingRouteChanges() {
        return clusterRouter == null ? 0 : clusterRouter.pendingChanges();
    }

    /** Changes to sessions and retained messages not yet confirmed by the cluster's copy and its backups. */
    public int unreplicatedChanges() {
        return store == null ? 0 : store.unreplicated();
    }

    /** Messages waiting to be forwarded, over all links. */
    public long queuedForwards() {
        return links.values().stream().mapToLong(PeerLink::queued).sum();
    }

    /** Every node the cluster knows of, this one included, and whether each is reachable now. */
    public List<NodeDirectory.NodeInfo> nodes() {
        NodeDirectory current = directory;
        return current == null ? List.of() : current.nodes();
    }

    private void loadRoutes() {
        for (Map.Entry<String, Long> route : engine.<String, Long>getMap(ROUTES).entrySet()) {
            applyRoute(RouteKeys.node(route.getKey()), RouteKeys.filter(route.getKey()), route.getValue(), true);
        }
    }

    /**
     * This node's cluster merged into a larger one (a partition healed, or pods that started together found
     * each other late). The engine kept the larger side's maps, so this node writes its routes again and loads
     * the others'; a client id that connected on the other side meanwhile stays there, and its session here
     * ends.
     */
    private void merged() {
        LOG.warnf("Cluster %s: this node merged into a larger cluster, now %d members; its routes and clients"
                + " are written again", config.name(), members());
        engine.getCluster().getMembers().forEach(member -> link(Members.nodeOf(member)));
        clusterRouter.republish();
        loadRoutes();
        for (String clientId : ownership.reclaim()) {
            LOG.infof("Client %s connected to the other side of the partition: its session here ends", clientId);
            sessions.takenOverElsewhere(clientId);
        }
    }

    boolean applyRoute(String node, String filter, long sequence, boolean added) {
        if (node.equals(nodeId)) {
            return false;
        }
        PeerLink link = link(node);
        return link != null && remote.apply(link, filter, sequence, added);
    }

    boolean takeOver(String clientId, long incarnation) {
        if (ownership == null || !ownership.takenOver(clientId, incarnation)) {
            return false;
        }
        LOG.infof("Client %s connected to another node: its session here ends", clientId);
        sessions.takenOverElsewhere(clientId);
        return true;
    }

    boolean handOver(String clientId, long incarnation, boolean sessionEnds, String toNode) {
        return moves != null && moves.handOver(clientId, incarnation, sessionEnds, toNode);
    }

    boolean sessionsAdopted(String leftNode) {
        Departures current = departures;
        if (current != null) {
            current.sessionsAdopted(leftNode);
        }
        return true;
    }

    /** A message for the sessions of a node that left, which its heir adopts. On the publisher's thread. */
    private void orphaned(OrphanRoute route, Message message) {
        PeerLink heir = route.heir();
        String target = Targets.sessionsOf(route.nodeId());
        if (heir != null) {
            heir.sendFor(message, target);
            return;
        }
        CompletableFuture<Void> kept = arrivals.receive(target, message);
        if (kept != null && message.qos() > 0) {
            store.alsoWaitFor(kept);
        }
    }

    private PeerLink link(String node) {
        PeerLink link = links.get(node);
        if (link != null || engine == null || node.equals(nodeId)) {
            return link;
        }
        return Members.find(engine, node) == null ? null : links.computeIfAbsent(node, this::newLink);
    }

    private PeerLink newLink(String node) {
        ITopic<byte[]> topic = engine.getTopic(FORWARD + node);
        PeerLink link = new PeerLink(node, nodeId, topic::publish, stats,
                store.forwardsWait() ? store::alsoWaitFor : null);
        link.start();
        return link;
    }

    private void sendTo(String node, byte[] frame) {
        HazelcastInstance current = engine;
        if (current != null && links.containsKey(node)) {
            current.<byte[]>getTopic(FORWARD + node).publish(frame);
        }
    }

    private void sendTakeover(String node, String clientId, long incarnation) {
        Member member = Members.find(engine, node);
        if (member != null) {
            engine.getExecutorService(EXECUTOR).submitToMember(ClusterTask.takeover(clientId, incarnation), member);
        }
    }

    private final class Membership implements InitialMembershipListener {
        @Override
        public void init(InitialMembershipEvent event) {
            event.getMembers().forEach(member -> link(Members.nodeOf(member)));
        }

        @Override
        public void memberAdded(MembershipEvent event) {
            String node = Members.nodeOf(event.getMember());
            LOG.infof("Cluster node %s joined at %s", node, event.getMember().getAddress());
            link(node);
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
            String node = Members.nodeOf(event.getMember());
            LOG.infof("Cluster node %s left; its routes lead to the oldest node until its sessions are adopted", node);
            departures.left(node, event.getMembers());
        }
    }

    /** On the heir, once a node that left has its sessions adopted: what it wrote to the engine's maps goes. */
    private void forgetNode(String node) {
        IMap<String, Long> routes = engine.getMap(ROUTES);
        List<String> gone = new ArrayList<>();
        for (String key : routes.keySet()) {
            if (key.startsWith(node)) {
                gone.add(key);
            }
        }
        gone.forEach(routes::delete);
        directory.forget(node);
    }

    private final class RouteEvents implements EntryAddedListener<String, Long>, EntryUpdatedListener<String, Long>,
            EntryRemovedListener<String, Long>, EntryMergedListener<String, Long> {
        @Override
        public void entryAdded(EntryEvent<String, Long> event) {
            applyRoute(RouteKeys.node(event.getKey()), RouteKeys.filter(event.getKey()), event.getValue(), true);
        }

        @Override
        public void entryUpdated(EntryEvent<String, Long> event) {
            entryAdded(event);
        }

        @Override
        public void entryMerged(EntryEvent<String, Long> event) {
            entryAdded(event);
        }

        @Override
        public void entryRemoved(EntryEvent<String, Long> event) {
            Long sequence = event.getOldValue();
            if (sequence != null) {
                applyRoute(RouteKeys.node(event.getKey()), RouteKeys.filter(event.getKey()), sequence, false);
            }
        }
    }
}
