package dev.midge.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.config.PersistenceConfig;
import dev.midge.config.PersistenceConfig.OnCorruption;
import dev.midge.config.PersistenceConfig.Sync;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.MessageProperties;
import dev.midge.message.SubscriptionOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MvBrokerStoreTest {

    @TempDir
    Path dir;

    private MvBrokerStore store(Sync sync, OnCorruption onCorruption) {
        return store(dir, sync, onCorruption);
    }

    private static MvBrokerStore store(Path dir, Sync sync, OnCorruption onCorruption) {
        return new MvBrokerStore(new PersistenceConfig() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public String dir() {
                return dir.toString();
            }

            @Override
            public Sync sync() {
                return sync;
            }

            @Override
            public Duration flushInterval() {
                return Duration.ofMillis(50);
            }

            @Override
            public OnCorruption onCorruption() {
                return onCorruption;
            }

            @Override
            public Duration compactInterval() {
                return Duration.ofMinutes(5);
            }
        }, nanos -> { });
    }

    private MvBrokerStore store() {
        return store(Sync.ALWAYS, OnCorruption.FAIL);
    }

    private static Message message(String topic, String payload, int qos) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
    }

    private static void awaitDurable(BrokerStore store) throws InterruptedException {
        CountDownLatch durable = new CountDownLatch(1);
        store.whenDurable(durable::countDown);
        assertTrue(durable.await(10, TimeUnit.SECONDS), "the store reports the changes durable");
    }

    @Test
    void whatIsStoredComesBackAfterReopening() throws Exception {
        MvBrokerStore first = store();
        assertEquals(Recovered.NOTHING.sessions(), first.open().sessions());
        MessageProperties props = new MessageProperties(1, "text/plain", "reply/here", new byte[] {1, 2},
                List.of(new MessageProperties.UserProperty("k", "v"), new MessageProperties.UserProperty("k", "w")));
        Message retained = new Message("r/1", "kept".getBytes(StandardCharsets.UTF_8), 1, true, props, "pub", 0);
        first.putRetained(retained);
        first.putRetained(message("r/2", "gone", 0));
        first.removeRetained("r/2");
        first.putSession("alice", 3600, 1234);
        first.putSubscription("alice", "a/#", new SubscriptionOptions(2, true, true, 1, 7));
        first.putSubscription("alice", "$share/g/b", SubscriptionOptions.ofQos(1));
        first.putSubscription("alice", "gone", SubscriptionOptions.ofQos(1));
        first.removeSubscription("alice", "gone");
        long queued = first.newOutboundId();
        first.addOutbound(queued, "alice", message("a/1", "one", 1), Delivery.of(1, false));
        long inflight = first.newOutboundId();
        first.addOutbound(inflight, "alice", message("a/2", "two", 2),
                new Delivery(2, true, new int[] {7}, "$share/g/b"));
        first.updateOutbound(inflight, 42, true);
        long acked = first.newOutboundId();
        first.addOutbound(acked, "alice", message("a/3", "three", 1), Delivery.of(1, false));
        first.removeOutbound(acked);
        first.addAwaitingRelease("alice", 9);
        first.addAwaitingRelease("alice", 10);
        first.removeAwaitingRelease("alice", 10);
        first.putWill("alice", message("will/alice", "bye", 1), 99_999);
        awaitDurable(first);
        first.close();

        MvBrokerStore second = store();
        Recovered recovered = second.open();
        try {
            assertEquals(1, recovered.retained().size());
            Message back = recovered.retained().get(0);
            assertEquals("r/1", back.topic());
            assertArrayEquals(retained.payload(), back.payload());
            assertTrue(back.retain());
            assertEquals("pub", back.origin());
            assertEquals(props.contentType(), back.properties().contentType());
            assertEquals(props.responseTopic(), back.properties().responseTopic());
            assertArrayEquals(props.correlationData(), back.properties().correlationData());
            assertEquals(props.userProperties(), back.properties().userProperties());
            assertEquals(1, back.properties().payloadFormat());

            assertEquals(1, recovered.sessions().size());
            Recovered.StoredSession alice = recovered.sessions().get(0);
            assertEquals("alice", alice.clientId());
            assertEquals(3600, alice.expiryInterval());
            assertEquals(1234, alice.disconnectedAt());
            assertEquals(Map.of("a/#", new SubscriptionOptions(2, true, true, 1, 7),
                    "$share/g/b", SubscriptionOptions.ofQos(1)), alice.subscriptions());
            assertEquals(Set.of(9), alice.awaitingRelease());
            assertEquals("will/alice", alice.will().message().topic());
            assertEquals(99_999, alice.will().publishAt());

            assertEquals(2, alice.outbound().size(), "in the order they were queued, the acknowledged one gone");
            Recovered.StoredOutbound one = alice.outbound().get(0);
            assertEquals("a/1", one.message().topic());
            assertEquals(0, one.packetId());
            Recovered.StoredOutbound two = alice.outbound().get(1);
            assertEquals("a/2", two.message().topic());
            assertEquals(42, two.packetId());
            assertTrue(two.released());
            assertEquals(2, two.delivery().qos());
            assertTrue(two.delivery().retain());
            assertArrayEquals(new int[] {7}, two.delivery().subscriptionIds());
            assertEquals("$share/g/b", two.delivery().sharedFilter());
            assertTrue(second.newOutboundId() > inflight, "new ids keep growing after a restart");
        } finally {
            second.close();
        }
    }

    @Test
    void aRemovedSessionTakesItsRecordsAlongAndStrayEntriesAreDroppedOnOpening() throws Exception {
        MvBrokerStore first = store();
        first.open();
        first.putSession("bob", 60, 0);
        first.putSubscription("bob", "x", SubscriptionOptions.ofQos(1));
        first.addAwaitingRelease("bob", 3);
        first.putWill("bob", message("w", "w", 0), 5);
        first.addOutbound(first.newOutboundId(), "bob", message("x", "queued", 1), Delivery.of(1, false));
        // A client id that starts with another one's must not be touched by that one's removal.
        first.putSession("bobby", 60, 0);
        first.putSubscription("bobby", "y", SubscriptionOptions.ofQos(0));
        first.removeSession("bob");
        awaitDurable(first);
        first.close();

        MvBrokerStore second = store();
        try {
            Recovered recovered = second.open();
            assertEquals(1, recovered.sessions().size());
            Recovered.StoredSession bobby = recovered.sessions().get(0);
            assertEquals("bobby", bobby.clientId());
            assertEquals(Map.of("y", SubscriptionOptions.ofQos(0)), bobby.subscriptions());
            assertTrue(bobby.outbound().isEmpty(), "bob's queued message went with bob");
            assertNull(bobby.will());
        } finally {
            second.close();
        }
    }

    @Test
    void expiredMessagesAreNotBroughtBack() throws Exception {
        MvBrokerStore first = store();
        first.open();
        long past = System.currentTimeMillis() - 1;
        Message expired = new Message("e", "old".getBytes(StandardCharsets.UTF_8), 1, true, MessageProperties.NONE,
                null, past);
        first.putRetained(expired);
        first.putSession("carol", 60, 0);
        first.addOutbound(first.newOutboundId(), "carol", expired, Delivery.of(1, false));
        awaitDurable(first);
        first.close();

        MvBrokerStore second = store();
        try {
            Recovered recovered = second.open();
            assertTrue(recovered.retained().isEmpty());
            assertTrue(recovered.sessions().get(0).outbound().isEmpty());
        } finally {
            second.close();
        }
    }

    @Test
    void acknowledgementsWaitOnlyUnderSyncAlways() throws Exception {
        MvBrokerStore always = store(Sync.ALWAYS, OnCorruption.FAIL);
        always.open();
        try {
            long before = always.changesByThisThread();
            always.putSession("dave", 60, 0);
            assertEquals(before + 1, always.changesByThisThread(), "this thread's change is counted");
            awaitDurable(always);
            assertTrue(always.status().commits() > 0, "the change was committed before it was called durable");
        } finally {
            always.close();
        }
        Files.delete(dir.resolve(MvBrokerStore.FILE_NAME));
        MvBrokerStore interval = store(Sync.INTERVAL, OnCorruption.FAIL);
        interval.open();
        try {
            interval.putSession("dave", 60, 0);
            assertEquals(0, interval.changesByThisThread(), "nothing to wait for under interval");
            boolean[] ran = new boolean[1];
            interval.whenDurable(() -> ran[0] = true);
            assertTrue(ran[0], "runs at once");
        } finally {
            interval.close();
        }
    }

    @Test
    void aCorruptStoreStopsStartUpWithAMessageNamingItAndTheWayOut() throws Exception {
        Path file = dir.resolve(MvBrokerStore.FILE_NAME);
        Files.write(file, "this is not a store".repeat(500).getBytes(StandardCharsets.UTF_8));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store().open());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("midge.persistence.on-corruption=quarantine"), e.getMessage());
        assertTrue(Files.exists(file), "the file is left alone");
    }

    @Test
    void quarantineMovesACorruptStoreAsideAndStartsEmpty() throws Exception {
        Path file = dir.resolve(MvBrokerStore.FILE_NAME);
        byte[] garbage = "this is not a store".repeat(500).getBytes(StandardCharsets.UTF_8);
        Files.write(file, garbage);
        MvBrokerStore store = store(Sync.ALWAYS, OnCorruption.QUARANTINE);
        try {
            assertTrue(store.open().sessions().isEmpty());
            store.putSession("erin", 60, 0);
            awaitDurable(store);
        } finally {
            store.close();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> aside = files.filter(p -> p.getFileName().toString().startsWith(MvBrokerStore.FILE_NAME
                    + ".corrupt-")).toList();
            assertEquals(1, aside.size(), "the corrupt store is kept for inspection");
            assertArrayEquals(garbage, Files.readAllBytes(aside.get(0)));
        }
        MvBrokerStore reopened = store();
        try {
            assertEquals("erin", reopened.open().sessions().get(0).clientId());
        } finally {
            reopened.close();
        }
    }

    @Test
    void aStoreInUseByAnotherBrokerIsRefusedAsSuch() throws Exception {
        MvBrokerStore first = store();
        first.open();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> store().open());
            assertTrue(e.getMessage().contains("in use by another process"), e.getMessage());
        } finally {
            first.close();
        }
    }

    @Test
    void aMovedStoreTakesAllItHeldAlongAndStaysWhereItIsWhenTheNewDirectoryHoldsAStore() throws Exception {
        MvBrokerStore store = store();
        store.open();
        Path moved = dir.resolve("moved");
        Path taken = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(taken.resolve(MvBrokerStore.FILE_NAME), "another broker's");
        try {
            store.putRetained(message("before", "1", 1));
            store.relocate(moved.toString());
            assertEquals(moved.resolve(MvBrokerStore.FILE_NAME).toString(), store.status().location());
            store.putRetained(message("after", "2", 1));
            awaitDurable(store);
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> store.relocate(taken.toString()));
            assertTrue(refused.getMessage().contains("holds a store already"), refused.getMessage());
            store.putRetained(message("refused", "3", 1));
            awaitDurable(store);
        } finally {
            store.close();
        }
        assertEquals("another broker's", Files.readString(taken.resolve(MvBrokerStore.FILE_NAME)));
        MvBrokerStore reopened = store(moved, Sync.ALWAYS, OnCorruption.FAIL);
        try {
            assertEquals(Set.of("before", "after", "refused"), reopened.open().retained().stream()
                    .map(Message::topic).collect(Collectors.toSet()));
        } finally {
            reopened.close();
        }
        MvBrokerStore old = store();
        try {
            assertEquals(Set.of("before"), old.open().retained().stream().map(Message::topic)
                    .collect(Collectors.toSet()), "the old file stays as it was at the move");
        } finally {
            old.close();
        }
    }
}
