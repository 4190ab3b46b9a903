package dev.midge.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.BrokerCluster;
import dev.midge.testing.Mqtt3Clients;
import dev.midge.testing.RawMqttClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Durable sessions outlive their node: three packaged brokers on loopback; a persistent session with queued
 * QoS 1 messages is resumed on another node after its node was killed with {@code kill -9}, a survivor publishes
 * the will of a client connected to the killed node once, and the clients of
 * a node stopped with SIGTERM get DISCONNECT 0x8B and find their sessions on the survivors, and a session whose
 * node is killed while a publisher goes on gets every message acknowledged meanwhile, resumed on another node.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverIT {

    private static BrokerCluster cluster;

    @BeforeAll
    @Timeout(400)
    static void startCluster() throws Exception {
        cluster = new BrokerCluster(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Mqtt3Clients on(int node) {
        return new Mqtt3Clients(cluster.node(node).mqttPort());
    }

    @Test
    @Order(1)
    void anOfflineSessionWithQueuedMessagesResumesOnAnotherNodeAfterItsNodeIsKilled() throws Exception {
        int count = 100;
        Mqtt3Clients watchers = on(1);
        Mqtt3Clients.Client watcher = watchers.connect("will-watcher");
        watcher.subscribe("wills/#", 1);
        Mqtt3Clients willHolders = on(0);
        willHolders.connect("will-holder", Mqtt3Clients.options().will("wills/holder", "holder lost", 1, false));
        try (Mqtt3Clients node0 = on(0); Mqtt3Clients node1 = on(1)) {
            Mqtt3Clients.Client durable = node0.connect("durable-1", false);
            durable.subscribe("failover/q", 1);
            durable.disconnect();
            Mqtt3Clients.Client publisher = node1.connect("failover-pub");
            for (int i = 0; i < count; i++) {
                publisher.publish("failover/q", Integer.toString(i), 1, false);
            }
        }
        // Killed right after the last PUBACK: an acknowledged message is in the cluster's copy already.
        BrokerCluster.Node holder = cluster.node(0);
        kill(holder);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(
                () -> assertEquals(2.0, cluster.node(1).metric("midge_cluster_members")));
        assertEquals("holder lost", watcher.next().payload(),
                "a survivor publishes the will of a client connected to the dead node");
        watchers.connect("will-marker").publish("wills/marker", "marker", 1, false);
        assertEquals(List.of(), watcher.receivedBefore("marker"), "once");
        watchers.close();
        willHolders.close();

        try (Mqtt3Clients node2 = on(2)) {
            Mqtt3Clients.Client resumed = node2.connect("durable-1", false);
            assertTrue(resumed.sessionPresent(), "the session survived its node");
            for (int i = 0; i < count; i++) {
                Mqtt3Clients.Received received = resumed.next();
                assertEquals(Integer.toString(i), received.payload(), "every queued message, in order");
            }
            node2.connect("failover-marker").publish("failover/q", "marker", 1, false);
            assertEquals(List.of(), resumed.receivedBefore("marker"), "nothing twice");
        }
    }

    @Test
    @Order(2)
    void sigtermSendsDisconnect0x8BAndTheSessionsGoOnOnTheSurvivors() throws Exception {
        BrokerCluster.Node leaving = cluster.node(1);
        try (Mqtt3Clients node1 = on(1); RawMqttClient v5 = new RawMqttClient(leaving.mqttPort())) {
            Mqtt3Clients.Client durable = node1.connect("rolling-1", false);
            durable.subscribe("rolling/q", 1);
            // MQTT 5 CONNECT: level 5, clean start off, keepalive 60, Session Expiry Interval 3600 s.
            v5.sendPacket(0x10, new RawMqttClient.Body().string("MQTT").bytes(5, 0x00, 0, 60, 5, 0x11, 0, 0, 0x0E, 0x10)
                    .string("rolling-v5").toBytes());
            assertEquals(0, v5.expect(RawMqttClient.CONNACK).body()[1], "accepted");

            leaving.process().terminate();
            RawMqttClient.Packet disconnect = v5.read();
            assertEquals(14, disconnect.type(), "MQTT 5 clients get a DISCONNECT");
            assertEquals((byte) 0x8B, disconnect.body()[0], "server shutting down");
            assertEquals(0, leaving.process().awaitExit(), "a clean exit");
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(
                () -> assertEquals(1.0, cluster.node(2).metric("midge_cluster_members")));
        try (Mqtt3Clients node2 = on(2)) {
            Mqtt3Clients.Client publisher = node2.connect("rolling-pub");
            for (int i = 0; i < 20; i++) {
                publisher.publish("rolling/q", "while away " + i, 1, false);
            }
            Mqtt3Clients.Client resumed = node2.connect("rolling-1", false);
            assertTrue(resumed.sessionPresent(), "the session was handed over when its node stopped");
            for (int i = 0; i < 20; i++) {
                assertEquals("while away " + i, resumed.next().payload(), "queued on the survivor while away");
            }
        }
    }

    @Test
    @Order(3)
    void whatIsAcknowledgedWhileANodeDiesReachesItsSubscriberWhereItResumesWhilePublishingGoesOn() throws Exception {
        cluster.restart(0);
        cluster.restart(1);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(
                () -> assertEquals(3.0, cluster.node(0).metric("midge_cluster_members")));
        Mqtt3Clients onDoomed = on(0);
        Mqtt3Clients.Client first = onDoomed.connect("steady-1", false);
        first.subscribe("steady/q", 1);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        int total = 600;
        Thread publishing = new Thread(() -> {
            try (Mqtt3Clients node1 = on(1)) {
                Mqtt3Clients.Client publisher = node1.connect("steady-pub");
                for (int i = next.get(); i < total; i = next.incrementAndGet()) {
                    try {
                        publisher.publish("steady/q", Integer.toString(i), 1, false);
                        acknowledged.add(Integer.toString(i));
                    } catch (RuntimeException notAcknowledged) {
                        // Its node lost a forward to the dying node: unacknowledged, published again as new.
                        publisher = node1.connect("steady-pub");
                    }
                    // A rate, not a wait: publishing must go on across the kill and the resume below.
                    TimeUnit.MILLISECONDS.sleep(5);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "steady-publisher");
        publishing.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 100);
        kill(cluster.node(0));
        Set<String> received = new HashSet<>();
        for (Mqtt3Clients.Received r; (r = first.poll()) != null;) {
            received.add(r.payload());
        }
        onDoomed.close();
        await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 300);
        try (Mqtt3Clients node1 = on(1)) {
            // Resumed while messages keep coming: the session moves from the node that adopted it to this one.
            Mqtt3Clients.Client resumed = node1.connect("steady-1", false);
            assertTrue(resumed.sessionPresent(), "the session outlived its node");
            publishing.join(TimeUnit.SECONDS.toMillis(60));
            node1.connect("steady-marker").publish("steady/q", "marker", 1, false);
            resumed.receivedBefore("marker").forEach(r -> received.add(r.payload()));
            Set<String> missing = new TreeSet<>(acknowledged);
            missing.removeAll(received);
            // A message in flight to the killed connection comes again, flagged DUP (which this client does not
            // show): repeats are the chaos run's to count.
            assertEquals(Set.of(), missing, "every acknowledged message reached the session");
        }
    }

    @Test
    @Order(4)
    void aSessionThatMovesAwayAndBackTakesEachMessageOnceAndNothingGoesRoundBetweenTheNodes() throws Exception {
        try (Mqtt3Clients node1 = on(1); Mqtt3Clients node2 = on(2)) {
            node1.connect("bouncer", false).subscribe("bounce/q", 1);
            node2.connect("bouncer", false);
            // Back within the 30 s in which node 2 forwards for it: node 1's own forwarder for it must go.
            Mqtt3Clients.Client back = node1.connect("bouncer", false);
            assertTrue(back.sessionPresent());
            String forwarded = "midge_cluster_forwarded_messages_total";
            double before = cluster.node(1).metric(forwarded) + cluster.node(2).metric(forwarded);
            Mqtt3Clients.Client publisher = node2.connect("bounce-pub");
            for (int i = 0; i < 20; i++) {
                publisher.publish("bounce/q", Integer.toString(i), 1, false);
            }
            publisher.publish("bounce/q", "marker", 1, false);
            assertEquals(IntStream.range(0, 20).mapToObj(Integer::toString).toList(),
                    back.receivedBefore("marker").stream().map(Mqtt3Clients.Received::payload).toList(),
                    "each once, in order");
            // 21 messages, each at most once by the route and once by node 2's forwarder.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                    cluster.node(1).metric(forwarded) + cluster.node(2).metric(forwarded) - before <= 42);
        }
    }

    private static void kill(BrokerCluster.Node node) throws Exception {
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(node.process().pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -9");
        await().atMost(Duration.ofSeconds(5)).until(() -> !node.process().isAlive());
    }
}
