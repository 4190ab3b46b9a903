package dev.midge.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.BrokerCluster;
import dev.midge.testing.Mqtt3Clients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that comes back with an old store of its own does not bring back what the cluster has moved on from:
 * three packaged brokers, each with its store on disk; a node holding two offline sessions with queued
 * messages and a retained message is killed, the survivors resume one session, end the other and clear the
 * retained message, and the node restarts on its old store. The cluster's copy wins.
 */
@Timeout(400)
class ClusterRejoinIT {

    @TempDir
    Path stores;

    private BrokerCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Mqtt3Clients on(int node) {
        return new Mqtt3Clients(cluster.node(node).mqttPort());
    }

    @Test
    void aNodeRestartedOnItsOldStoreLeavesMovedAndEndedSessionsAndClearedRetainedMessagesAlone() throws Exception {
        cluster = BrokerCluster.withStores(3, stores);
        try (Mqtt3Clients node0 = on(0); Mqtt3Clients node1 = on(1)) {
            node0.connect("rejoin-pub-0").publish("rejoin/retained", "old", 1, true);
            for (String id : List.of("rejoin-moved", "rejoin-ended")) {
                Mqtt3Clients.Client session = node0.connect(id, false);
                session.subscribe("rejoin/" + id, 1);
                session.disconnect();
            }
            Mqtt3Clients.Client publisher = node1.connect("rejoin-pub-1");
            for (int i = 0; i < 5; i++) {
                publisher.publish("rejoin/rejoin-moved", "queued " + i, 1, false);
                publisher.publish("rejoin/rejoin-ended", "queued " + i, 1, false);
            }
        }
        kill(cluster.node(0));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(
                () -> assertEquals(2.0, cluster.node(1).metric("midge_cluster_members")));

        try (Mqtt3Clients node1 = on(1); Mqtt3Clients node2 = on(2)) {
            Mqtt3Clients.Client moved = node1.connect("rejoin-moved", false);
            assertTrue(moved.sessionPresent(), "the killed node's session, adopted by a survivor");
            for (int i = 0; i < 5; i++) {
                assertEquals("queued " + i, moved.next().payload());
            }
            moved.disconnect();
            node1.connect("rejoin-ended", true).disconnect();
            node2.connect("rejoin-clearer").publish("rejoin/retained", "", 1, true);
        }

        cluster.restart(0);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> assertEquals(3.0, cluster.node(0).metric("midge_cluster_members")));

        try (Mqtt3Clients node0 = on(0); Mqtt3Clients node2 = on(2)) {
            Mqtt3Clients.Client watcher = node0.connect("rejoin-watcher");
            watcher.subscribe("rejoin/retained", 1);
            watcher.subscribe("rejoin/marker", 1);
            node2.connect("rejoin-marker").publish("rejoin/marker", "marker", 1, false);
            assertEquals(List.of(), watcher.receivedBefore("marker"), "the cleared retained message stays cleared");

            assertFalse(node0.connect("rejoin-ended", false).sessionPresent(), "the ended session stays ended");

            Mqtt3Clients.Client moved = node0.connect("rejoin-moved", false);
            assertTrue(moved.sessionPresent(), "the moved session, from the cluster's copy");
            node2.connect("rejoin-marker-2").publish("rejoin/rejoin-moved", "marker", 1, false);
            assertEquals(List.of(), moved.receivedBefore("marker"), "none of the messages it took already");
        }
    }

    private static void kill(BrokerCluster.Node node) throws Exception {
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(node.process().pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -9");
        await().atMost(Duration.ofSeconds(5)).until(() -> !node.process().isAlive());
    }
}
