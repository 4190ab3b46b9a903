package dev.midge.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.testing.BrokerCluster;
import dev.midge.testing.BrokerProcess;
import dev.midge.testing.Mqtt3Clients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods of a StatefulSet that start together find each other through the headless Service's DNS name only once
 * their records are published. Three packaged brokers on 127.0.0.1-3 stand in for them: each one's hosts file
 * (the JVM's {@code jdk.net.hosts.file}, looked up afresh every time) first names only itself, so each forms a
 * cluster of its own; then the files name all three, as DNS does once every pod is up. The nodes must find
 * each other by looking the name up again and merge into one cluster, and messages must then cross every pair
 * of nodes, although the engine gives merged members new ids.
 */
@Timeout(300)
class ClusterDiscoveryIT {

    private static final String NAME = "midge-peers.test";
    private static final int SIZE = 3;

    @TempDir
    Path dir;

    private final List<BrokerCluster.Node> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(node -> node.process().close());
    }

    @Test
    void nodesThatStartedApartFindEachOtherByDnsAndRouteAfterMerging() throws Exception {
        int clusterPort = portFreeOnEveryAddress();
        int[] httpPorts = freePorts();
        List<Path> hostsFiles = new ArrayList<>();
        List<CompletableFuture<BrokerCluster.Node>> starting = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            Path hosts = dir.resolve("hosts-" + i);
            Files.writeString(hosts, address(i) + " " + NAME + "\n");
            hostsFiles.add(hosts);
            int index = i;
            starting.add(CompletableFuture.supplyAsync(() -> start(index, clusterPort, httpPorts[index], hosts)));
        }
        for (CompletableFuture<BrokerCluster.Node> node : starting) {
            nodes.add(node.join());
        }
        for (BrokerCluster.Node node : nodes) {
            assertEquals(1.0, node.metric("midge_cluster_members"), "each node started in a cluster of its own");
        }

        StringBuilder everyone = new StringBuilder();
        for (int i = 0; i < SIZE; i++) {
            everyone.append(address(i)).append(' ').append(NAME).append('\n');
        }
        for (Path hosts : hostsFiles) {
            Files.writeString(hosts, everyone.toString());
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            for (BrokerCluster.Node node : nodes) {
                if (node.metric("midge_cluster_members") != SIZE) {
                    return false;
                }
            }
            return true;
        });

        messagesCrossEveryPairOfNodes();
    }

    private void messagesCrossEveryPairOfNodes() throws Exception {
        List<Mqtt3Clients> clients = new ArrayList<>();
        try {
            List<Mqtt3Clients.Client> subscribers = new ArrayList<>();
            for (int i = 0; i < SIZE; i++) {
                clients.add(new Mqtt3Clients(nodes.get(i).mqttPort()));
                Mqtt3Clients.Client subscriber = clients.get(i).connect("merged-sub-" + i);
                subscriber.subscribe("merged/" + i, 1);
                subscribers.add(subscriber);
            }
            for (int from = 0; from < SIZE; from++) {
                Mqtt3Clients.Client publisher = clients.get(from).connect("merged-pub-" + from);
                for (int to = 0; to < SIZE; to++) {
                    if (to != from) {
                        publisher.publish("merged/" + to, "from " + from, 1, false);
                    }
                }
            }
            for (int to = 0; to < SIZE; to++) {
                List<String> payloads = new ArrayList<>();
                for (int n = 0; n < SIZE - 1; n++) {
                    payloads.add(subscribers.get(to).next().payload());
                }
                payloads.sort(null);
                List<String> expected = new ArrayList<>();
                for (int from = 0; from < SIZE; from++) {
                    if (from != to) {
                        expected.add("from " + from);
                    }
                }
                assertEquals(expected, payloads, "what the subscriber on node " + to + " got");
            }
        } finally {
            clients.forEach(Mqtt3Clients::close);
        }
    }

    private static String address(int index) {
        return "127.0.0." + (index + 1);
    }

    private static BrokerCluster.Node start(int index, int clusterPort, int httpPort, Path hosts) {
        try {
            BrokerProcess process = new BrokerProcess(Duration.ofSeconds(150), "midge.cluster.enabled=true",
                    "midge.cluster.host=" + address(index), "midge.cluster.port=" + clusterPort,
                    "midge.cluster.dns-name=" + NAME, "midge.cluster.failure-timeout=3s",
                    "midge.persistence.enabled=false", "quarkus.http.port=" + httpPort, "midge.sys-interval=0",
                    "jdk.net.hosts.file=" + hosts, "sun.net.inetaddr.ttl=0", "sun.net.inetaddr.negative.ttl=0");
            return new BrokerCluster.Node(process, httpPort, clusterPort);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Distinct free ports, held together while they are picked so that no two are the same. */
    private static int[] freePorts() throws IOException {
        int[] ports = new int[SIZE];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < SIZE; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address(0)));
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
        } finally {
            closeAll(held);
        }
        return ports;
    }

    /** A port that each node can bind on its own loopback address: the DNS records carry addresses only. */
    private static int portFreeOnEveryAddress() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getByName(address(0)))) {
                port = first.getLocalPort();
            }
            if (freeOnEveryAddress(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no port free on all of 127.0.0.1-" + SIZE);
    }

    private static boolean freeOnEveryAddress(int port) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < SIZE; i++) {
                held.add(new ServerSocket(port, 1, InetAddress.getByName(address(i))));
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            closeAll(held);
        }
    }

    private static void closeAll(List<ServerSocket> sockets) {
        for (ServerSocket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // a socket that fails to close holds no port worth reporting
            }
        }
    }
}
