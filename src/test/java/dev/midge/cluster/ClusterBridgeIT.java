package dev.midge.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.BrokerCluster;
import dev.midge.testing.MosquittoBroker;
import dev.midge.testing.Mqtt3Clients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bridge runs on one node of the cluster: three packaged brokers all configure the same bridge to a Mosquitto
 * on loopback, and only one of them connects to it, so that a message published on any node reaches Mosquitto
 * once, and one published at Mosquitto reaches the cluster once. When that node is killed with {@code kill -9},
 * another one starts the bridge and messages flow again, still once each; when it comes back, it leaves the
 * bridge where it runs.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterBridgeIT {

    private static final String CONNECTED = "midge_bridge_connected{bridge=\"cloud\"}";

    @TempDir
    static Path dir;
    private static MosquittoBroker remote;
    private static BrokerCluster cluster;
    private static Mqtt3Clients remoteClients;
    private static Mqtt3Clients.Client remoteSubscriber;
    private static int owner;
    private static int successor;

    @BeforeAll
    @Timeout(400)
    static void start() throws Exception {
        remote = new MosquittoBroker(dir.resolve("mosquitto"), MosquittoBroker.freePort());
        remote.start();
        cluster = new BrokerCluster(3, "midge.bridges.cloud.address=127.0.0.1:" + remote.port(),
                "midge.bridges.cloud.topics[0]=out/# out 1", "midge.bridges.cloud.topics[1]=in/# in 1",
                "midge.bridges.cloud.reconnect-delay=200ms", "midge.bridges.cloud.max-reconnect-delay=1s");
        remoteClients = new Mqtt3Clients(remote.port());
        remoteSubscriber = remoteClients.connect("remote-subscriber");
        remoteSubscriber.subscribe("out/#", 1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (remoteClients != null) {
            remoteClients.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (remote != null) {
            remote.stop();
        }
    }

    @Test
    @Order(1)
    void oneNodeRunsTheBridgeAndEachMessageCrossesItOnce() throws Exception {
        owner = awaitOneOwner(List.of(0, 1, 2));
        int other = (owner + 1) % 3;
        assertTrue(cluster.node(other).get("/q/health/ready").contains("runs on node "),
                "a node that does not run the bridge names the node that does");
        assertEveryMessageCrossesOnce(List.of(0, 1, 2), "before");
        assertARemoteMessageArrivesOnce(other, "in/before");
    }

    @Test
    @Order(2)
    void anotherNodeTakesTheBridgeOverWhenItsNodeIsKilled() throws Exception {
        BrokerCluster.Node killed = cluster.node(owner);
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(killed.process().pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -9");
        await().atMost(Duration.ofSeconds(5)).until(() -> !killed.process().isAlive());
        List<Integer> survivors = new ArrayList<>(List.of(0, 1, 2));
        survivors.remove(Integer.valueOf(owner));
        successor = awaitOneOwner(survivors);
        assertEveryMessageCrossesOnce(survivors, "after");
        int other = survivors.get(0) == successor ? survivors.get(1) : survivors.get(0);
        assertARemoteMessageArrivesOnce(other, "in/after");
    }

    @Test
    @Order(3)
    void theKilledNodeComingBackTakesNothingOver() throws Exception {
        cluster.restart(owner);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cluster.node(owner).get("/q/health/ready").contains("runs on node "));
        assertEquals(successor, awaitOneOwner(List.of(0, 1, 2)), "the bridge stays where it runs");
        assertEveryMessageCrossesOnce(List.of(0, 1, 2), "rejoined");
    }

    /** Waits until exactly one of the nodes has the bridge connected and stays so for a while; returns it. */
    private static int awaitOneOwner(List<Integer> nodes) {
        List<Integer> connected = new ArrayList<>();
        await("one node has the bridge connected").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    connected.clear();
                    connected.addAll(connected(nodes));
                    return connected.size() == 1;
                });
        await("that node alone keeps it connected").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> connected(nodes).equals(connected));
        return connected.get(0);
    }

    private static List<Integer> connected(List<Integer> nodes) throws Exception {
        List<Integer> up = new ArrayList<>();
        for (int node : nodes) {
            if (cluster.node(node).metric(CONNECTED) == 1.0) {
                up.add(node);
            }
        }
        return up;
    }

    /** Publishes on every node, QoS 1, and sees each message at the remote broker once, none twice. */
    private static void assertEveryMessageCrossesOnce(List<Integer> nodes, String round) throws Exception {
        int perNode = 20;
        try (Mqtt3Clients publishers = new Mqtt3Clients(0)) {
            for (int node : nodes) {
                Mqtt3Clients.Client publisher = publishers.connect("publisher-" + round + "-" + node,
                        Mqtt3Clients.options().port(cluster.node(node).mqttPort()));
                for (int i = 0; i < perNode; i++) {
                    publisher.publish("out/" + round, round + "-" + node + "-" + i, 1, false);
                }
            }
        }
        Map<String, Integer> seen = new HashMap<>();
        int expected = perNode * nodes.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            drain(seen);
            return seen.size() == expected;
        });
        // Whatever a second bridge would carry follows close behind: wait a little longer for it to show.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> {
            drain(seen);
            return seen.values().stream().allMatch(count -> count == 1);
        });
        assertEquals(expected, seen.size());
    }

    private static void drain(Map<String, Integer> seen) {
        for (Mqtt3Clients.Received r = remoteSubscriber.poll(); r != null; r = remoteSubscriber.poll()) {
            seen.merge(r.payload(), 1, Integer::sum);
        }
    }

    /** A message published at the remote broker reaches a subscriber on the given node once. */
    private static void assertARemoteMessageArrivesOnce(int node, String topic) throws Exception {
        try (Mqtt3Clients local = new Mqtt3Clients(cluster.node(node).mqttPort())) {
            Mqtt3Clients.Client subscriber = local.connect("local-subscriber-" + node);
            subscriber.subscribe("in/#", 1);
            Mqtt3Clients.Client publisher = remoteClients.connect("remote-publisher-" + topic.replace('/', '-'));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                publisher.publish(topic, "probe", 1, false);
                return subscriber.poll() != null;
            });
            publisher.publish(topic, "once", 1, false);
            publisher.publish(topic, "marker", 1, false);
            List<String> before = subscriber.receivedBefore("marker").stream().map(Mqtt3Clients.Received::payload)
                    .filter(payload -> !payload.equals("probe")).toList();
            assertEquals(List.of("once"), before);
        }
    }
}
