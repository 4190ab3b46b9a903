package dev.midge.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import dev.midge.persistence.DisabledStore;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Client ids across nodes: a CONNECT here records this node with a new incarnation and tells the node that had
 * the id before, naming that node's incarnation; a takeover request for an incarnation this node no longer
 * has (the client reconnected here since) is ignored.
 */
class ClientOwnershipTest {

    private static final String HERE = "00000000-0000-0000-0000-00000000000a";
    private static final String THERE = "00000000-0000-0000-0000-00000000000b";
    private static final String GONE = "00000000-0000-0000-0000-00000000000c";
    /** A node still in the cluster that does not answer (it is dying, and the others do not know yet). */
    private static final String SILENT = "00000000-0000-0000-0000-00000000000d";
    /** A node that leaves the cluster while it is asked for a session (it was stopping). */
    private static final String STOPPING = "00000000-0000-0000-0000-00000000000e";

    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final List<String> takeovers = new ArrayList<>();

    /** The engine's map, as far as the ownership uses it: putAsync, and the conditional remove. */
    @SuppressWarnings("unchecked")
    private IMap<String, String> map() {
        return (IMap<String, String>) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {IMap.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "putAsync" -> CompletableFuture.completedFuture(owners.put((String) args[0], (String) args[1]));
                    case "remove" -> owners.remove(args[0], args[1]);
                    case "get" -> owners.get(args[0]);
                    case "replace" -> owners.replace((String) args[0], (String) args[1], (String) args[2]);
                    case "putIfAbsent" -> owners.putIfAbsent((String) args[0], (String) args[1]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private final List<String> handOvers = new CopyOnWriteArrayList<>();
    private final Set<String> left = ConcurrentHashMap.newKeySet();

    ClientOwnershipTest() {
        left.add(GONE);
    }
    private final ClientOwnership ownership = new ClientOwnership(HERE, map(),
            (node, clientId, incarnation) -> takeovers.add(node + " " + clientId + " " + incarnation), Runnable::run,
            new ReplicatedStore(new DisabledStore(), false),
            (node, clientId, incarnation, ends) -> handOvers.add(node + " " + clientId + " " + incarnation)
                    && !node.equals(SILENT) && !(node.equals(STOPPING) && left.add(STOPPING)),
            Runnable::run, null, node -> !left.contains(node), clientId -> { });

    @Test
    void theIdOfANodeThatDoesNotAnswerIsClaimedBeforeTheCopyIsRead() {
        owners.put("orphan", SILENT + "/4");
        ownership.acquire("orphan", false).toCompletableFuture().join();
        assertEquals(HERE + "/1", owners.get("orphan"), "claimed, so that no survivor adopts it as well");
        assertFalse(ownership.adopt("orphan", SILENT + "/4"));
    }

    @Test
    void theSessionOfANodeThatLeftIsAskedOfItsHeirOnceTheHeirAdoptedIt() throws Exception {
        owners.put("orphan", GONE + "/4");
        CompletableFuture<Void> acquired = CompletableFuture.runAsync(
                () -> ownership.acquire("orphan", false).toCompletableFuture().join());
        assertThrows(TimeoutException.class, () -> acquired.get(300, TimeUnit.MILLISECONDS),
                "it waits for the heir, which gives it what was published for it meanwhile");
        assertEquals(List.of(), handOvers);
        owners.put("orphan", THERE + "/9");
        acquired.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(THERE + " orphan 9"), handOvers, "asked of the heir");
    }

    @Test
    void aNodeThatLeavesWhileAskedLeavesTheSessionToItsHeirWhichIsAskedNext() throws Exception {
        owners.put("leaving", STOPPING + "/5");
        CompletableFuture<Void> acquired = CompletableFuture.runAsync(
                () -> ownership.acquire("leaving", false).toCompletableFuture().join());
        await().atMost(Duration.ofSeconds(5)).until(() -> handOvers.size() == 1);
        assertThrows(TimeoutException.class, () -> acquired.get(300, TimeUnit.MILLISECONDS),
                "not claimed here: the heir adopts it with what is published for it meanwhile");
        owners.put("leaving", THERE + "/2");
        acquired.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(STOPPING + " leaving 5", THERE + " leaving 2"), handOvers);
    }

    @Test
    void aSessionOnAnotherNodeIsHandedOverBeforeItIsRead() {
        owners.put("sensor", THERE + "/7");
        assertNull(ownership.acquire("sensor", false).toCompletableFuture().join(),
                "the cluster's copy is empty here");
        assertEquals(List.of(THERE + " sensor 7"), handOvers);

        ownership.claim("sensor");
        ownership.acquire("sensor", false).toCompletableFuture().join();
        assertEquals(1, handOvers.size(), "a session this node owns is not asked for");
    }

    @Test
    void aLeftNodesSessionIsAdoptedOnlyWhenNoNodeClaimedItsIdMeanwhile() {
        owners.put("sensor", GONE + "/1");
        assertTrue(ownership.adopt("sensor", GONE + "/1"));
        assertEquals(HERE + "/1", owners.get("sensor"));
        owners.put("meter", THERE + "/3");
        assertFalse(ownership.adopt("meter", GONE + "/2"), "its client reconnected on another node first");
        assertEquals(THERE + "/3", owners.get("meter"));
    }

    @Test
    void aConnectHereTellsTheNodeThatHadTheIdWithItsIncarnation() {
        owners.put("sensor", THERE + "/7");
        ownership.claim("sensor");
        assertEquals(List.of(THERE + " sensor 7"), takeovers);
        assertEquals(HERE + "/1", owners.get("sensor"));

        ownership.claim("sensor");
        assertEquals(1, takeovers.size(), "a reconnect on the same node is a local takeover only");
    }

    @Test
    void aStaleTakeoverDoesNotEndANewerConnection() {
        ownership.claim("sensor");
        ownership.claim("sensor");
        assertFalse(ownership.takenOver("sensor", 1), "incarnation 1 was replaced by 2 here");
        assertTrue(ownership.takenOver("sensor", 2));
        assertFalse(ownership.takenOver("sensor", 2), "once only");
    }

    @Test
    void releaseRemovesOnlyThisNodesOwnRecord() {
        ownership.claim("sensor");
        owners.put("sensor", THERE + "/3");
        ownership.release("sensor");
        assertEquals(THERE + "/3", owners.get("sensor"), "the other node's newer record stays");

        ownership.claim("meter");
        ownership.release("meter");
        assertFalse(owners.containsKey("meter"));
    }

    @Test
    void afterAMergeTheClusterKeepsIdsThatConnectedOnTheOtherSideAndGetsBackTheOthers() {
        ownership.claim("stayed");
        ownership.claim("moved");
        // The larger side's map won the merge: it never had "stayed", and "moved" connected there meanwhile.
        owners.clear();
        owners.put("moved", THERE + "/3");

        assertEquals(List.of("moved"), ownership.reclaim());
        assertEquals(HERE + "/1", owners.get("stayed"));
        assertEquals(THERE + "/3", owners.get("moved"));
        assertFalse(ownership.takenOver("moved", 2), "its session here has ended already");
        assertEquals(List.of(), ownership.reclaim(), "nothing is lost twice");
    }
}
