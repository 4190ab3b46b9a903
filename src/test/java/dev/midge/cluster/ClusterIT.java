package dev.midge.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.BrokerCluster;
import dev.midge.testing.Mqtt3Clients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Three packaged brokers as one cluster on loopback, with real clients: messages cross nodes at every QoS and
 * in order, once per node; a subscription is live on every node when its SUBACK arrives; retained messages,
 * client-id takeover, shared groups spanning nodes (one member per message, one on the publisher's node
 * first) and the Mosquitto clients work across nodes; and a node killed with {@code kill -9}
 * leaves the others serving. The kill runs last, as it shrinks the cluster.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final String FORWARDED = "midge_cluster_forwarded_messages_total";
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
    void everyNodeReportsTheClusterInHealthMetricsAndApi() throws Exception {
        for (int i = 0; i < 3; i++) {
            BrokerCluster.Node node = cluster.node(i);
            assertEquals(3.0, node.metric("midge_cluster_members"), "members seen by node " + i);
            String health = node.get("/q/health/ready").replaceAll("\\s", "");
            assertTrue(health.contains("\"name\":\"cluster\"") && health.contains("\"state\":\"READY\""), health);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String api = cluster.node(0).get("/api/v1/cluster");
            assertEquals(3, api.split("\"reachable\":true", -1).length - 1, api);
            assertTrue(api.contains("\"address\":\"127.0.0.1:" + cluster.node(2).clusterPort() + "\""), api);
            assertTrue(api.contains("\"upSince\""), api);
        });
    }

    @Test
    @Order(2)
    void theClientListAndAClientsDetailsSpanTheNodesAndNameEachClientsNode() throws Exception {
        String[] nodeIds = new String[3];
        for (int i = 0; i < 3; i++) {
            Matcher id = Pattern.compile("\"node\":\"([^\"]+)\"").matcher(cluster.node(i).get("/api/v1/cluster"));
            assertTrue(id.find());
            nodeIds[i] = id.group(1);
        }
        try (Mqtt3Clients zero = on(0); Mqtt3Clients one = on(1)) {
            zero.connect("listed-on-zero");
            one.connect("listed-on-one");
            String list = cluster.node(2).get("/api/v1/clients?size=1000");
            assertTrue(list.matches("(?s).*\"clientId\":\"listed-on-zero\"[^}]*\"node\":\"" + nodeIds[0] + "\".*"),
                    list);
            assertTrue(list.matches("(?s).*\"clientId\":\"listed-on-one\"[^}]*\"node\":\"" + nodeIds[1] + "\".*"),
                    list);
            assertTrue(list.contains("\"unansweredNodes\":[]"), list);
            String details = cluster.node(2).get("/api/v1/clients/listed-on-one");
            assertTrue(details.contains("\"node\":\"" + nodeIds[1] + "\""), details);
            assertEquals(404, cluster.node(2).http("/api/v1/clients/listed-nowhere").statusCode());
        }
    }

    @Test
    @Order(2)
    void messagesCrossNodesAtEachQosInOrderAndOncePerNode() throws Exception {
        int count = 100;
        try (Mqtt3Clients node0 = on(0); Mqtt3Clients node1 = on(1); Mqtt3Clients node2 = on(2)) {
            List<Mqtt3Clients.Client> subscribers = new ArrayList<>();
            for (int qos = 0; qos <= 2; qos++) {
                // Two subscribers on node 1 and one on node 2: each node gets one copy, whatever its subscribers.
                for (Mqtt3Clients clients : List.of(node1, node1, node2)) {
                    Mqtt3Clients.Client subscriber = clients.connect("order-sub-" + qos + "-" + subscribers.size());
                    subscriber.subscribe("order/" + qos, qos);
                    subscribers.add(subscriber);
                }
            }
            Mqtt3Clients.Client publisher = node0.connect("order-pub");
            double forwardedBefore = cluster.node(0).metric(FORWARDED);
            for (int qos = 0; qos <= 2; qos++) {
                for (int i = 0; i < count; i++) {
                    publisher.publish("order/" + qos, Integer.toString(i), qos, false);
                }
            }
            for (int s = 0; s < subscribers.size(); s++) {
                int qos = s / 3;
                Mqtt3Clients.Client subscriber = subscribers.get(s);
                for (int i = 0; i < count; i++) {
                    Mqtt3Clients.Received received = subscriber.next();
                    assertEquals(Integer.toString(i), received.payload(), "subscriber " + s + " in order");
                    assertEquals(qos, received.qos(), "min(publish QoS, subscription QoS)");
                }
            }
            // The sender counts a batch after handing it over, so the count may trail the deliveries a moment.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(forwardedBefore + 3 * 2 * count,
                    cluster.node(0).metric(FORWARDED), "each message forwarded once to each of the two other nodes"));
        }
    }

    @Test
    @Order(3)
    void aSubscriptionIsLiveOnEveryNodeWhenItsSubackArrives() throws Exception {
        try (Mqtt3Clients node1 = on(1); Mqtt3Clients node2 = on(2)) {
            Mqtt3Clients.Client publisher = node2.connect("suback-pub");
            Mqtt3Clients.Client subscriber = node1.connect("suback-sub");
            for (int i = 0; i < 20; i++) {
                subscriber.subscribe("suback/" + i, 1);
                publisher.publish("suback/" + i, "right after SUBACK " + i, 1, false);
                assertEquals("right after SUBACK " + i, subscriber.next().payload());
            }
            subscriber.unsubscribe("suback/0");
            publisher.publish("suback/0", "after UNSUBACK", 1, false);
            publisher.publish("suback/1", "marker", 1, false);
            assertEquals(List.of(), subscriber.receivedBefore("marker"), "nothing after the UNSUBACK");
        }
    }

    @Test
    @Order(4)
    void aRetainedMessageReachesSubscribersOfAnotherNode() throws Exception {
        try (Mqtt3Clients node0 = on(0); Mqtt3Clients node2 = on(2)) {
            node0.connect("retain-pub").publish("retained/status", "on", 1, true);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Mqtt3Clients.Client subscriber = node2.connect("retain-sub-" + System.nanoTime());
                subscriber.subscribe("retained/#", 1);
                Mqtt3Clients.Received received = subscriber.next();
                assertEquals("on", received.payload());
                assertTrue(received.retained());
            });
        }
    }

    @Test
    @Order(5)
    void aClientIdConnectingToAnotherNodeTakesTheSessionOverAndTheWillIsPublished() throws Exception {
        try (Mqtt3Clients node0 = on(0); Mqtt3Clients node1 = on(1); Mqtt3Clients node2 = on(2)) {
            Mqtt3Clients.Client watcher = node2.connect("takeover-watcher");
            watcher.subscribe("wills/#", 1);
            Mqtt3Clients.Client first = node0.connect("twin",
                    Mqtt3Clients.options().will("wills/twin", "twin lost", 1, false));
            Mqtt3Clients.Client second = node1.connect("twin");

            await().atMost(Duration.ofSeconds(10)).until(() -> !first.isConnected());
            assertEquals("twin lost", watcher.next().payload(), "the old connection's will");
            assertTrue(second.isConnected(), "the new connection stays");
        }
    }

    @Test
    @Order(6)
    void mosquittoClientsTalkThroughTwoNodes() throws Exception {
        // -d prints the SUBACK, after which node 0 routes to node 1: the route count alone can stay flat while an
        // earlier test's routes are still being withdrawn.
        List<String> sub = List.of("mosquitto_sub", "-d", "-h", "127.0.0.1", "-p",
                Integer.toString(cluster.node(1).mqttPort()),
                "-t", "mosquitto/#", "-q", "1", "-C", "1", "-W", "20", "-i", "mosq-sub");
        Process subscriber = new ProcessBuilder(withLineBuffering(sub)).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(subscriber.getInputStream(), StandardCharsets.UTF_8))) {
            assertTrue(readUntil(out, line -> line.contains("received SUBACK")), "mosquitto_sub's SUBACK");
            assertTrue(cluster.node(0).metric("midge_cluster_routes") >= 1, "node 0 counts the route to node 1");
            Process publisher = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p",
                    Integer.toString(cluster.node(0).mqttPort()), "-t", "mosquitto/hello", "-q", "1", "-m",
                    "hello from mosquitto_pub").redirectErrorStream(true).start();
            assertTrue(publisher.waitFor(10, TimeUnit.SECONDS) && publisher.exitValue() == 0, "mosquitto_pub");
            assertTrue(readUntil(out, "hello from mosquitto_pub"::equals), "the message from the other node");
            assertTrue(subscriber.waitFor(10, TimeUnit.SECONDS), "mosquitto_sub ends after one message");
        } finally {
            subscriber.destroyForcibly();
        }
    }

    /** Reads lines until one matches; false when the process ends first (mosquitto_sub's -W bounds it). */
    private static boolean readUntil(BufferedReader out, Predicate<String> wanted) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (wanted.test(line)) {
                return true;
            }
        }
        return false;
    }

    @Test
    @Order(6)
    void aSharedGroupSpansNodesAndEachMessageGoesToExactlyOneMember() throws Exception {
        int count = 200;
        String group = "$share/workers/jobs/+";
        try (Mqtt3Clients node0 = on(0); Mqtt3Clients node1 = on(1); Mqtt3Clients node2 = on(2)) {
            Mqtt3Clients.Client publisher = node0.connect("share-pub");
            Mqtt3Clients.Client one = subscribed(node1, "share-member-1", group);
            publisher.publish("jobs/first", "right after SUBACK", 1, false);
            assertEquals("right after SUBACK", one.next().payload(), "the group's route is live at its SUBACK");
            Mqtt3Clients.Client two = subscribed(node2, "share-member-2", group);
            Mqtt3Clients.Client plain = subscribed(node1, "share-plain", "jobs/+");

            Set<String> published = new HashSet<>();
            for (int i = 0; i < count; i++) {
                publisher.publish("jobs/" + i, "job " + i, 1, false);
                published.add("job " + i);
            }

            for (int i = 0; i < count; i++) {
                assertEquals("job " + i, plain.next().payload(), "a plain subscriber alongside gets each, in order");
            }
            List<String> toOne = new ArrayList<>();
            List<String> toTwo = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> drained(one, toOne) + drained(two, toTwo) >= count);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> drained(one, toOne) + drained(two, toTwo) == count && plain.poll() == null);
            Set<String> received = new HashSet<>(toOne);
            received.addAll(toTwo);
            assertEquals(published, received, "every message to the group, none twice");
            assertTrue(!toOne.isEmpty() && !toTwo.isEmpty(), "both members get some: " + toOne.size() + " and "
                    + toTwo.size());

            two.unsubscribe(group);
            for (int i = 0; i < 20; i++) {
                publisher.publish("jobs/after", "after UNSUBACK " + i, 1, false);
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("after UNSUBACK " + i, one.next().payload(), "the group left node 2 at its UNSUBACK");
            }
        }
    }

    @Test
    @Order(6)
    void aSharedGroupMemberOnThePublishersNodeGetsEveryMessage() throws Exception {
        int count = 100;
        String group = "$share/near/work/+";
        try (Mqtt3Clients node0 = on(0); Mqtt3Clients node1 = on(1); Mqtt3Clients node2 = on(2)) {
            Mqtt3Clients.Client far = subscribed(node1, "near-member-1", group);
            Mqtt3Clients.Client farther = subscribed(node2, "near-member-2", group);
            Mqtt3Clients.Client local = subscribed(node0, "near-member-0", group);
            Mqtt3Clients.Client publisher = node0.connect("near-pub");

            for (int i = 0; i < count; i++) {
                publisher.publish("work/" + i, "work " + i, 1, false);
            }

            for (int i = 0; i < count; i++) {
                assertEquals("work " + i, local.next().payload(), "the member on the publisher's node takes all");
            }
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> far.poll() == null && farther.poll() == null);
        }
    }

    /** A client of the node, connected and subscribed to the filter at QoS 1. */
    private static Mqtt3Clients.Client subscribed(Mqtt3Clients node, String clientId, String filter) {
        Mqtt3Clients.Client client = node.connect(clientId);
        client.subscribe(filter, 1);
        return client;
    }

    /** Moves what the client has received into the list; the list's size after. */
    private static int drained(Mqtt3Clients.Client client, List<String> into) {
        for (Mqtt3Clients.Received r = client.poll(); r != null; r = client.poll()) {
            into.add(r.payload());
        }
        return into.size();
    }

    private static List<String> withLineBuffering(List<String> command) {
        List<String> all = new ArrayList<>(List.of("stdbuf", "-oL"));
        all.addAll(command);
        return all;
    }

    @Test
    @Order(7)
    void theOthersKeepServingWhenANodeIsKilled() throws Exception {
        BrokerCluster.Node victim = cluster.node(2);
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(victim.process().pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -9");
        await().atMost(Duration.ofSeconds(5)).until(() -> !victim.process().isAlive());

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertEquals(2.0, cluster.node(0).metric("midge_cluster_members"));
            assertEquals(2.0, cluster.node(1).metric("midge_cluster_members"));
        });
        try (Mqtt3Clients node0 = on(0); Mqtt3Clients node1 = on(1)) {
            Mqtt3Clients.Client subscriber = node1.connect("survivor-sub");
            subscriber.subscribe("survivors/#", 2);
            Mqtt3Clients.Client publisher = node0.connect("survivor-pub");
            for (int i = 0; i < 10; i++) {
                publisher.publish("survivors/" + i, "after the kill " + i, 2, false);
            }
            for (int i = 0; i < 10; i++) {
                assertEquals("after the kill " + i, subscriber.next().payload());
            }
        }
        String api = cluster.node(0).get("/api/v1/cluster");
        assertEquals(2, api.split("\"reachable\":true", -1).length - 1, api);
    }
}
