package dev.midge.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several packaged brokers as one cluster on loopback: each its own process, with free MQTT, HTTP and cluster
 * ports and the static member list of all of them. The first node starts alone, the others join it together,
 * and the cluster is returned once every node's readiness is UP.
 */
public final class BrokerCluster implements AutoCloseable {

    /** One node: its process, and its HTTP port for health, metrics and the API. */
    public record Node(BrokerProcess process, int httpPort, int clusterPort) {

        public int mqttPort() {
            return process.port();
        }

        /** The body of a GET on the node's HTTP port. */
        public String get(String path) throws IOException, InterruptedException {
            return http(path).body();
        }

        public HttpResponse<String> http(String path) throws IOException, InterruptedException {
            return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** The value of one Prometheus sample, by its whole name with labels; 0 when absent. */
        public double metric(String sample) throws IOException, InterruptedException {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " ([0-9.eE+-]+)$").matcher(get("/q/metrics"));
            return m.find() ? Double.parseDouble(m.group(1)) : 0;
        }

        public boolean isReady() {
            try {
                return http("/q/health/ready").statusCode() == 200;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }
    }

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final Random RANDOM = new Random();

    private final List<Node> nodes = new ArrayList<>();
    private String members;
    private String[] extra;
    /** Where each node keeps its store, one directory per node named by its cluster port; null: no store. */
    private final Path stores;

    public BrokerCluster(int size, String... extraProperties) throws Exception {
        this(size, null, extraProperties);
    }

    /**
     * A cluster whose nodes keep their own store ({@code midge.persistence.enabled}) under {@code stores}, one
     * directory per node, which a node {@linkplain #restart restarted} finds again.
     */
    public static BrokerCluster withStores(int size, Path stores, String... extraProperties) throws Exception {
        return new BrokerCluster(size, stores, extraProperties);
    }

    private BrokerCluster(int size, Path stores, String... extraProperties) throws Exception {
        this.stores = stores;
        int[] clusterPorts = freePorts(size);
        int[] httpPorts = freePorts(size);
        StringBuilder list = new StringBuilder();
        for (int port : clusterPorts) {
            list.append(list.isEmpty() ? "" : ",").append("127.0.0.1:").append(port);
        }
        this.members = list.toString();
        this.extra = extraProperties;
        try {
            nodes.add(start(clusterPorts[0], httpPorts[0], extraProperties));
            List<CompletableFuture<Node>> joining = new ArrayList<>();
            for (int i = 1; i < size; i++) {
                int index = i;
                joining.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return start(clusterPorts[index], httpPorts[index], extraProperties);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (CompletableFuture<Node> node : joining) {
                nodes.add(node.join());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> nodes.stream().allMatch(Node::isReady));
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private Node start(int clusterPort, int httpPort, String... extra) throws Exception {
        List<String> properties = new ArrayList<>(List.of("midge.cluster.enabled=true",
                "midge.cluster.host=127.0.0.1", "midge.cluster.port=" + clusterPort, "midge.cluster.members=" + members,
                "midge.cluster.failure-timeout=3s", "quarkus.http.port=" + httpPort, "midge.sys-interval=0"));
        if (stores == null) {
            properties.add("midge.persistence.enabled=false");
        } else {
            properties.add("midge.persistence.enabled=true");
            properties.add("midge.persistence.dir=" + stores.resolve("node-" + clusterPort));
        }
        properties.addAll(List.of(extra));
        // Joining waits for the engine's join handshake too; on a busy machine that takes a while.
        return new Node(new BrokerProcess(Duration.ofSeconds(150), properties.toArray(String[]::new)), httpPort,
                clusterPort);
    }

    public Node node(int index) {
        return nodes.get(index);
    }

    /**
     * Starts a node again after it stopped or was killed, on the same MQTT, HTTP and cluster ports, and waits
     * until it is ready.
     */
    public Node restart(int index) throws Exception {
        Node old = nodes.get(index);
        old.process().close();
        List<String> properties = new ArrayList<>(List.of(extra));
        properties.add("midge.mqtt.port=" + old.mqttPort());
        Node node = start(old.clusterPort(), old.httpPort(), properties.toArray(String[]::new));
        nodes.set(index, node);
        await().atMost(Duration.ofSeconds(60)).until(node::isReady);
        return node;
    }

    /**
     * Ports nothing listens on, below the kernel's ephemeral range (32768 and up): a port taken from that range
     * can be handed to an outgoing connection (the nodes' own links) before the node that is to bind it starts.
     */
    private static int[] freePorts(int count) throws IOException {
        int[] ports = new int[count];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = null;
                for (int attempt = 0; socket == null && attempt < 100; attempt++) {
                    int port = 20_000 + RANDOM.nextInt(12_000);
                    try {
                        socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"));
                    } catch (IOException taken) {
                        // In use: try another.
                    }
                }
                if (socket == null) {
                    throw new IOException("no free port between 20000 and 32000");
                }
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
        return ports;
    }

    @Override
    public void close() {
        nodes.forEach(node -> node.process().close());
    }
}
