package dev.midge.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.midge.testing.BrokerProcess;
import dev.midge.testing.RawMqttClient;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged broker with the JVM image's options ({@code src/main/docker/jvm.options}) under the pod's limits
 * (512 MiB, one CPU, as the JVM sees a container with them) holds {@value #IDLE_CLIENTS} idle MQTT clients,
 * still carries a message from a publisher to a subscriber and answers the idle clients, and keeps its resident
 * memory below the limit.
 */
@Timeout(240)
class PodMemoryIT {

    private static final int IDLE_CLIENTS = 10_000;
    private static final long LIMIT_KIB = 512 * 1024;
    /** Longer than the test: no idle client needs to ping. */
    private static final int KEEPALIVE_SECONDS = 300;
    private static final int CONNECTING_THREADS = 4;

    @Test
    void tenThousandIdleClientsFitThePodsMemoryLimit() throws Exception {
        long needed = IDLE_CLIENTS + 1_000L;
        long limit = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        assertTrue(limit >= needed, "this test needs an open-files limit of at least " + needed
                + " (ulimit -n; the broker and the test each hold a socket per client), not " + limit);
        List<String> jvm = new ArrayList<>(imageJvmOptions());
        jvm.addAll(List.of("-XX:MaxRAM=512m", "-XX:ActiveProcessorCount=1"));
        List<Socket> idle = new ArrayList<>();
        try (BrokerProcess broker = BrokerProcess.withJvmOptions(Duration.ofSeconds(120), jvm,
                "midge.max-connections=" + (IDLE_CLIENTS + 10), "midge.persistence.enabled=false")) {
            try {
                idle.addAll(connectIdleClients(broker.port()));
                assertEquals(IDLE_CLIENTS, idle.size());
                assertMessageRoundTrip(broker.port());
                for (Socket client : List.of(idle.get(0), idle.get(IDLE_CLIENTS - 1))) {
                    assertPingAnswered(client);
                }
                long rss = rssKib(broker.pid());
                System.out.printf("broker resident with %d idle clients: %d KiB%n", IDLE_CLIENTS, rss);
                assertTrue(rss < LIMIT_KIB, "resident " + rss + " KiB, over the pod's limit of " + LIMIT_KIB);
            } finally {
                closeAll(idle);
            }
            assertEquals(0, broker.stop(), () -> "exit status; output: " + broker.output());
        }
    }

    /** The options the image starts the JVM with: its argument file, whitespace-separated. */
    private static List<String> imageJvmOptions() throws IOException {
        String options = Files.readString(Path.of("src", "main", "docker", "jvm.options")).trim();
        return Arrays.asList(options.split("\\s+"));
    }

    private static List<Socket> connectIdleClients(int port) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CONNECTING_THREADS);
        try {
            List<Future<List<Socket>>> parts = new ArrayList<>();
            for (int t = 0; t < CONNECTING_THREADS; t++) {
                int first = t * IDLE_CLIENTS / CONNECTING_THREADS;
                int end = (t + 1) * IDLE_CLIENTS / CONNECTING_THREADS;
                parts.add(threads.submit(() -> connectRange(port, first, end)));
            }
            List<Socket> all = new ArrayList<>();
            for (Future<List<Socket>> part : parts) {
                all.addAll(part.get(150, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            threads.shutdownNow();
        }
    }

    private static List<Socket> connectRange(int port, int first, int end) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = first; i < end; i++) {
                Socket socket = new Socket();
                sockets.add(socket);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(connect("pod-memory-" + i));
                byte[] connAck = socket.getInputStream().readNBytes(4);
                assertEquals("[32, 2, 0, 0]", Arrays.toString(connAck), "CONNACK of idle client " + i);
            }
            return sockets;
        } catch (IOException | RuntimeException | Error e) {
            closeAll(sockets);
            throw e;
        }
    }

    /** CONNECT, MQTT 3.1.1, clean session, the test's keepalive. */
    private static byte[] connect(String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[12 + id.length];
        byte[] fixed = {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, (byte) (KEEPALIVE_SECONDS >> 8), (byte) KEEPALIVE_SECONDS,
            (byte) (id.length >> 8), (byte) id.length};
        System.arraycopy(fixed, 0, body, 0, fixed.length);
        System.arraycopy(id, 0, body, fixed.length, id.length);
        return RawMqttClient.packet(RawMqttClient.CONNECT << 4, body);
    }

    private static void assertMessageRoundTrip(int port) throws IOException {
        try (RawMqttClient subscriber = new RawMqttClient(port); RawMqttClient publisher = new RawMqttClient(port)) {
            subscriber.connectAccepted("pod-memory-subscriber", true);
            subscriber.subscribe(1, "pod/memory", 1);
            assertEquals(1, subscriber.subAck(1)[0]);
            publisher.connectAccepted("pod-memory-publisher", true);
            publisher.publish("pod/memory", "still serving", 1, 1, false);
            publisher.expect(RawMqttClient.PUBACK);
            RawMqttClient.Packet delivered = subscriber.expect(RawMqttClient.PUBLISH);
            assertEquals("still serving", delivered.payload());
        }
    }

    private static void assertPingAnswered(Socket client) throws IOException {
        client.getOutputStream().write(RawMqttClient.pingReqs(1));
        InputStream in = client.getInputStream();
        assertEquals("[-48, 0]", Arrays.toString(in.readNBytes(2)), "PINGRESP");
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing anyway; the broker sees the connection end either way.
            }
        }
    }
}
