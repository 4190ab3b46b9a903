package dev.midge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Which node runs each bridge and integration: the oldest member of the cluster that configures it. Each node
 * advertises what it configures as a member attribute, so the owner is a function of the engine's member list
 * alone, the same on every node that sees the same list, with no election, heartbeat or lock of Midge's own.
 * Whenever the list changes every node evaluates again, on a thread of its own: it starts what it now owns and
 * stops what it no longer owns. A bridge moves only when its node leaves; a node that joins is the youngest and
 * takes nothing over.
 */
public final class BridgeOwners {

    private static final Logger LOG = Logger.getLogger(BridgeOwners.class);
    static final String ATTRIBUTE = "midge.bridges";

    /** One member as the choice sees it: its node id and the keys it configures. */
    record Candidate(String node, Set<String> configured) {
    }

    private final HazelcastInstance engine;
    private final String nodeId;
    private final ExecutorService evaluations;
    private final Set<String> running = new HashSet<>();
    private Map<String, Consumer<Boolean>> runners = Map.of();
    private UUID membershipListener;
    private UUID lifecycleListener;

    BridgeOwners(HazelcastInstance engine, String nodeId) {
        this.engine = engine;
        this.nodeId = nodeId;
        this.evaluations = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "midge-bridge-owners");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Sets the member attribute that tells the other nodes which keys this one configures. */
    static Config advertise(Config config, Set<String> keys) {
        if (!keys.isEmpty()) {
            config.getMemberAttributeConfig().setAttribute(ATTRIBUTE, String.join("\n", keys));
        }
        return config;
    }

    /** The keys a member's attribute names; none when it has no attribute (it configures nothing). */
    static Set<String> advertised(String attribute) {
        return attribute == null ? Set.of() : new HashSet<>(Arrays.asList(attribute.split("\n")));
    }

    /** The node that owns the key: the first candidate, oldest first, that configures it; null when none does. */
    static String ownerOf(String key, List<Candidate> oldestFirst) {
        for (Candidate candidate : oldestFirst) {
            if (candidate.configured().contains(key)) {
                return candidate.node();
            }
        }
        return null;
    }

    /** The node that runs the key as this node sees the cluster now; null when no member configures it. */
    public String ownerOf(String key) {
        try {
            return ownerOf(key, candidates());
        } catch (RuntimeException notRunning) {
            return null;
        }
    }

    /** Whether the key is this node's to run, as the cluster is now. */
    public boolean ownedHere(String key) {
        return nodeId.equals(ownerOf(key));
    }

    private List<Candidate> candidates() {
        List<Candidate> candidates = new ArrayList<>();
        for (Member member : engine.getCluster().getMembers()) {
            candidates.add(new Candidate(Members.nodeOf(member), advertised(member.getAttribute(ATTRIBUTE))));
        }
        return candidates;
    }

    /**
     * Runs, from now on, what this node owns among the keys given, each with what starts (true) or stops (false)
     * it, and follows the member list.
     */
    public void follow(Map<String, Consumer<Boolean>> keyRunners) {
        evaluations.execute(() -> runners = Map.copyOf(keyRunners));
        membershipListener = engine.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                evaluateLater();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                evaluateLater();
            }
        });
        lifecycleListener = engine.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                evaluateLater();
            }
        });
        evaluateLater();
    }

    /** Follows the member list no more; what runs is left to its owner's own stop. Waits for an evaluation. */
    public void stop() {
        if (membershipListener != null) {
            engine.getCluster().removeMembershipListener(membershipListener);
            engine.getLifecycleService().removeLifecycleListener(lifecycleListener);
        }
        evaluations.shutdown();
        try {
            evaluations.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void evaluateLater() {
        if (!evaluations.isShutdown()) {
            evaluations.execute(this::evaluate);
        }
    }

    private void evaluate() {
        List<Candidate> members;
        try {
            members = candidates();
        } catch (RuntimeException notRunning) {
            return;
        }
        runners.forEach((key, runner) -> {
            String owner = ownerOf(key, members);
            boolean owned = nodeId.equals(owner);
            if (owned == running.contains(key)) {
                return;
            }
            LOG.infof(owned ? "This node now runs %s" : "%s now runs on node %s, no longer here", key, owner);
            try {
                runner.accept(owned);
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s could not be %s", key, owned ? "started" : "stopped");
            }
            if (owned) {
                running.add(key);
            } else {
                running.remove(key);
            }
        });
    }
}
