package dev.midge.protocol;

import static dev.midge.protocol.SmallLimitsProfile.MAX_QUEUED_MESSAGES;
import static dev.midge.protocol.SmallLimitsProfile.MAX_RETAINED_PER_SUBSCRIBE;
import static dev.midge.protocol.SmallLimitsProfile.MAX_SUBSCRIPTIONS_PER_CLIENT;
import static dev.midge.protocol.SmallLimitsProfile.MAX_TOPIC_LEVELS;
import static dev.midge.protocol.SmallLimitsProfile.PACKET_READ_TIMEOUT_MILLIS;
import static dev.midge.testing.RawMqttClient.PUBACK;
import static dev.midge.testing.RawMqttClient.PUBLISH;
import static dev.midge.testing.RawMqttClient.UNSUBACK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.session.SessionRegistry;
import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.Mqtt3Clients.Client;
import dev.midge.testing.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The limits against resource exhaustion, on MQTT 3.1.1, with {@link SmallLimitsProfile}. */
@QuarkusTest
@TestProfile(SmallLimitsProfile.class)
@Timeout(60)
class ExhaustionLimitsTest extends BrokerTestBase {

    private static final int FAILURE = 0x80;

    @Inject
    SessionRegistry sessions;

    @Test
    void subscriptionsOverTheLimitAreRefusedAndReplacingOneDoesNotCount() throws Exception {
        RawMqttClient client = raw();
        client.connectAccepted("exh-subs", true);
        String[] filters = IntStream.range(0, MAX_SUBSCRIPTIONS_PER_CLIENT).mapToObj(i -> "exh/subs/" + i)
                .toArray(String[]::new);
        long refused = stats.subscriptionsRefused();
        client.subscribe(1, 1, filters);
        assertArrayEquals(new int[] {1, 1, 1, 1}, client.subAck(1), "up to the limit");
        client.subscribe(2, 1, "exh/subs/0", "exh/subs/extra");
        assertArrayEquals(new int[] {1, FAILURE}, client.subAck(2), "replacing one is granted, one more is not");
        assertEquals(1, stats.subscriptionsRefused() - refused, "counted");
        client.unsubscribe(3, "exh/subs/3");
        client.expect(UNSUBACK);
        client.subscribe(4, "exh/subs/extra", 1);
        assertArrayEquals(new int[] {1}, client.subAck(4), "room again after an UNSUBSCRIBE");
        mqtt3.connect("exh-subs-pub").publish("exh/subs/extra", "served", 1, false);
        assertEquals("served", client.expect(PUBLISH).payload());
    }

    @Test
    void topicsAndFiltersOverMaxTopicLevelsAreRefused() throws Exception {
        Client healthy = mqtt3.connect("exh-levels-healthy");
        healthy.subscribe("exh/levels/#", 1);
        String atLimit = "exh/levels" + "/l".repeat(MAX_TOPIC_LEVELS - 2);
        String overLimit = atLimit + "/l";
        RawMqttClient client = raw();
        client.connectAccepted("exh-levels", true);
        String filterAtLimit = "exh/filters" + "/+".repeat(MAX_TOPIC_LEVELS - 2);
        client.subscribe(1, 0, filterAtLimit, filterAtLimit + "/+");
        assertArrayEquals(new int[] {0, FAILURE}, client.subAck(1));
        client.publish(atLimit, "at the limit", 1, 1, false);
        assertEquals(1, client.expect(PUBACK).packetId());
        assertEquals("at the limit", healthy.next().payload());
        client.publish(overLimit, "over the limit", 1, 2, false);
        assertTrue(client.closedWithoutAnswerWithin(5_000), "closed without a PUBACK");
        mqtt3.connect("exh-levels-pub").publish("exh/levels/after", "still served", 1, false);
        assertEquals("still served", healthy.next().payload(), "nothing of the refused PUBLISH before it");
    }

    @Test
    void oneSubscribeGetsNoMoreThanMaxRetainedPerSubscribe() throws Exception {
        Client pub = mqtt3.connect("exh-cap-pub");
        int stored = MAX_RETAINED_PER_SUBSCRIBE + 5;
        for (int i = 0; i < stored; i++) {
            pub.publish("exh/cap/" + i, "r" + i, 1, true);
        }
        RawMqttClient client = raw();
        client.connectAccepted("exh-cap", true);
        client.subscribe(1, "exh/cap/#", 0);
        client.subAck(1);
        for (int i = 0; i < MAX_RETAINED_PER_SUBSCRIBE; i++) {
            assertTrue(client.expect(PUBLISH).retain());
        }
        pub.publish("exh/cap/live", "marker", 0, false);
        RawMqttClient.Packet next = client.expect(PUBLISH);
        assertEquals("marker", next.payload(), "no retained message beyond the limit: " + next);
    }

    /**
     * More retained messages than the subscriber's queue holds (twice {@code max-queued-messages} while online):
     * queued all at once, the rest would be dropped; fed as the subscriber acknowledges, every one arrives.
     */
    @Test
    void retainedMessagesBeyondTheQueueLimitAreFedAsTheSubscriberReadsAndNoneIsLost() throws Exception {
        Client pub = mqtt3.connect("exh-feed-pub");
        int stored = MAX_RETAINED_PER_SUBSCRIBE;
        assertTrue(stored > 2 * MAX_QUEUED_MESSAGES);
        for (int i = 0; i < stored; i++) {
            pub.publish("exh/feed/" + i, "r" + i, 1, true);
        }
        long dropped = stats.droppedQueueFull();
        RawMqttClient client = raw();
        client.connectAccepted("exh-feed", true);
        client.subscribe(1, "exh/feed/#", 1);
        client.subAck(1);
        RawMqttClient.Packet first = client.expect(PUBLISH);
        assertTrue(sessions.find("exh-feed").orElseThrow().queuedCount() <= MAX_QUEUED_MESSAGES,
                "not all queued at once");
        List<String> received = new ArrayList<>();
        RawMqttClient.Packet p = first;
        for (int i = 0; i < stored; i++) {
            if (i > 0) {
                p = client.expect(PUBLISH);
            }
            received.add(p.payload());
            client.ack(PUBACK, p.publishPacketId());
        }
        Set<String> expected = IntStream.range(0, stored).mapToObj(i -> "r" + i).collect(Collectors.toSet());
        assertEquals(expected, new HashSet<>(received), "every retained message, once");
        assertEquals(stored, received.size());
        assertEquals(0, stats.droppedQueueFull() - dropped, "none dropped");
    }

    @Test
    void aPacketTrickledInLongerThanThePacketReadTimeoutIsCut() throws Exception {
        RawMqttClient idle = raw();
        idle.connectAccepted("exh-trickle-idle", true);
        RawMqttClient client = raw();
        client.connectAccepted("exh-trickle", true);
        byte[] packet = RawMqttClient.packet(0x32, new RawMqttClient.Body().string("exh/trickle").bytes(0, 1)
                .raw(new byte[200]).toBytes());
        long timeouts = stats.packetReadTimeouts();
        long started = System.nanoTime();
        ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
        try {
            trickle(trickler, client, packet, 100);
            assertTrue(client.closedWithin(10_000), "cut");
        } finally {
            trickler.shutdownNow();
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(tookMillis >= PACKET_READ_TIMEOUT_MILLIS, "not before the timeout: " + tookMillis + " ms");
        assertEquals(1, stats.packetReadTimeouts() - timeouts, "counted");
        idle.ping();
    }

    @Test
    void aPacketInSeveralPiecesWithinThePacketReadTimeoutIsAccepted() throws Exception {
        RawMqttClient client = raw();
        client.connectAccepted("exh-pieces", true);
        byte[] packet = RawMqttClient.packet(0x32, new RawMqttClient.Body().string("exh/pieces").bytes(0, 7)
                .raw(new byte[200]).toBytes());
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        try {
            int third = packet.length / 3;
            for (int piece = 0; piece < 3; piece++) {
                int end = piece == 2 ? packet.length : (piece + 1) * third;
                byte[] bytes = Arrays.copyOfRange(packet, piece * third, end);
                sender.schedule(() -> send(client, bytes), piece * 100L, TimeUnit.MILLISECONDS);
            }
            assertEquals(7, client.expect(PUBACK).packetId());
        } finally {
            sender.shutdownNow();
        }
    }

    /** Sends the packet one byte every {@code everyMillis}, from the executor's thread. */
    static void trickle(ScheduledExecutorService executor, RawMqttClient client, byte[] packet, long everyMillis) {
        int[] next = {0};
        executor.scheduleAtFixedRate(() -> {
            if (next[0] < packet.length) {
                send(client, new byte[] {packet[next[0]++]});
            }
        }, 0, everyMillis, TimeUnit.MILLISECONDS);
    }

    private static void send(RawMqttClient client, byte[] bytes) {
        try {
            client.send(bytes);
        } catch (IOException e) {
            // Closed by the broker: what the test waits for.
        }
    }
}
