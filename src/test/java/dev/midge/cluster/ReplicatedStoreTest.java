package dev.midge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.midge.config.ClusterConfig;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import dev.midge.persistence.DisabledStore;
import dev.midge.persistence.Recovered;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cluster's copy of durable sessions, on one embedded engine on loopback. */
@Timeout(120)
class ReplicatedStoreTest {

    private static HazelcastInstance engine;

    @BeforeAll
    static void startEngine() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        engine = Hazelcast.newHazelcastInstance(EngineConfig.build(cluster(port), "test-node", Map.of()));
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.shutdown();
        }
    }

    private static ReplicatedStore joined() {
        ReplicatedStore store = new ReplicatedStore(new DisabledStore(), true);
        store.open();
        store.joined(new SessionReplica(engine), true);
        return store;
    }

    private static Message message(String payload) {
        return new Message("a/b", payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    @Test
    void aSessionWrittenOnOneNodeIsReadBackWholeAndInOrderOnAnother() throws Exception {
        ReplicatedStore first = joined();
        first.putSession("mover", 3600, 0);
        first.putSubscription("mover", "a/#", new SubscriptionOptions(1, false, false, 0, 0));
        first.addAwaitingRelease("mover", 9);
        long[] ids = new long[5];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = first.newOutboundId();
            first.addOutbound(ids[i], "mover", message("m" + i), Delivery.of(1, false));
        }
        first.updateOutbound(ids[0], 42, true);
        first.updateOutbound(ids[2], 43, false);
        first.removeOutbound(ids[1]);
        first.forgetSession("mover");
        first.replicated().get(10, TimeUnit.SECONDS);

        ReplicatedStore second = joined();
        assertTrue(second.holds("mover"), "forgetting a session here keeps the cluster's copy");
        Recovered.StoredSession taken = second.take("mover");
        assertNotNull(taken);
        assertEquals(3600, taken.expiryInterval());
        assertEquals(Map.of("a/#", new SubscriptionOptions(1, false, false, 0, 0)), taken.subscriptions());
        assertEquals(Set.of(9), taken.awaitingRelease());
        assertEquals(List.of("m0", "m2", "m3", "m4"), taken.outbound().stream()
                .map(o -> new String(o.message().payload(), StandardCharsets.UTF_8)).toList());
        assertEquals(42, taken.outbound().get(0).packetId(), "a released QoS 2 message keeps its packet id");
        assertTrue(taken.outbound().get(0).released());
        assertEquals(0, taken.outbound().get(1).packetId(), "merely sent: resent flagged DUP under a new id");
        assertTrue(second.newOutboundId() > ids[4], "ids keep growing after the move");

        second.discard("mover");
        assertFalse(second.holds("mover"));
        assertNull(second.take("mover"), "a clean start deleted the copy");
    }

    @Test
    void aDeliveredMessageLeavesNothingInTheCopyWhetherItHadProgressOrNot() throws Exception {
        ReplicatedStore store = joined();
        store.putSession("done", 3600, 0);
        long plain = store.newOutboundId();
        store.addOutbound(plain, "done", message("qos1"), Delivery.of(1, false));
        long released = store.newOutboundId();
        store.addOutbound(released, "done", message("qos2"), Delivery.of(2, false));
        store.updateOutbound(released, 7, true);
        store.replicated().get(10, TimeUnit.SECONDS);
        store.removeOutbound(plain);
        store.removeOutbound(released);
        store.replicated().get(10, TimeUnit.SECONDS);

        IMap<PartKey, byte[]> messages = engine.getMap(SessionReplica.MESSAGES);
        assertEquals(Set.of(), messages.keySet(new ClientParts("done")),
                "the message entries and the QoS 2 message's progress entry are gone");
    }

    @Test
    void anAcknowledgementWaitsUntilTheClusterHoldsTheChange() throws Exception {
        ReplicatedStore store = joined();
        long before = store.changesByThisThread();
        store.putSession("acked", 60, 0);
        assertTrue(store.changesByThisThread() > before, "the change counts for this thread's acknowledgement");
        CountDownLatch durable = new CountDownLatch(1);
        store.whenDurable(durable::countDown);
        assertTrue(durable.await(10, TimeUnit.SECONDS));
        assertTrue(store.holds("acked"), "held by the cluster once the acknowledgement may go");
    }

    @Test
    void aForwardTheOtherNodeNeverConfirmedIsNotAcknowledged() throws Exception {
        ReplicatedStore store = joined();
        CompletableFuture<Void> forward = new CompletableFuture<>();
        store.alsoWaitFor(forward);
        CountDownLatch acknowledged = new CountDownLatch(1);
        CountDownLatch refused = new CountDownLatch(1);
        store.whenDurable(acknowledged::countDown, refused::countDown);
        forward.completeExceptionally(new IllegalStateException("the node left the cluster"));
        assertTrue(refused.await(10, TimeUnit.SECONDS));
        assertEquals(1, acknowledged.getCount());
    }

    @Test
    void retainedMessagesAreInTheClustersCopyForANodeThatJoinsLater() {
        ReplicatedStore first = joined();
        first.putRetained(new Message("status/x", "on".getBytes(StandardCharsets.UTF_8), 1, true));
        first.replicated().join();
        ReplicatedStore later = new ReplicatedStore(new DisabledStore(), true);
        Recovered recovered = later.open();
        later.joined(new SessionReplica(engine), false);
        assertTrue(recovered.retained().stream().anyMatch(m -> m.topic().equals("status/x")),
                "a node joining a running cluster takes its retained messages");
    }

    private static ClusterConfig cluster(int port) {
        return new TestClusterConfig("replicated-store-test", port, Optional.of(List.of("127.0.0.1:" + port)),
                Optional.empty(), 1);
    }
}
