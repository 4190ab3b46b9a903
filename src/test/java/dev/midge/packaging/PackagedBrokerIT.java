package dev.midge.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.RawMqttClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged application as an operator runs it: {@code java -jar target/quarkus-app/quarkus-run.jar}. It
 * logs the bound listener, serves MQTT, and on SIGTERM tells MQTT 5 clients it is shutting down (DISCONNECT
 * 0x8B), closes its connections and exits with status 0.
 */
@Timeout(120)
class PackagedBrokerIT {

    private static final Pattern BOUND = Pattern.compile("MQTT listener bound on [^:]+:(\\d+)");

    @Test
    void startsServesAndStopsCleanlyOnSigterm() throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertTrue(Files.exists(jar), "package the application first");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process broker = new ProcessBuilder(java, "-Dmidge.mqtt.host=127.0.0.1", "-Dmidge.mqtt.port=0",
                "-Dquarkus.http.port=0", "-jar", jar.toString()).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception e) {
                lines.add("<output closed: " + e.getMessage() + ">");
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            int port = awaitPort(lines);
            try (RawMqttClient client = new RawMqttClient(port); RawMqttClient v5 = new RawMqttClient(port)) {
                client.connectAccepted("packaged-client", true);
                // MQTT 5 CONNECT: level 5, clean start, keepalive 60, no properties.
                v5.sendPacket(0x10, new RawMqttClient.Body().string("MQTT").bytes(5, 0x02, 0, 60, 0)
                        .string("packaged-v5").toBytes());
                assertEquals(0, v5.expect(RawMqttClient.CONNACK).body()[1], "accepted");
                broker.destroy(); // SIGTERM
                RawMqttClient.Packet disconnect = v5.read();
                assertEquals(14, disconnect.type(), "MQTT 5 clients get a DISCONNECT");
                assertEquals((byte) 0x8B, disconnect.body()[0], "server shutting down");
                assertTrue(client.closedWithin(10_000), "connections are closed on shutdown");
            }
            assertTrue(broker.waitFor(30, TimeUnit.SECONDS), "exits after SIGTERM");
            assertEquals(0, broker.exitValue());
        } finally {
            broker.destroyForcibly();
        }
    }

    /** The bound port, once start-up has finished (the "started in" line, after the listener's own). */
    private static int awaitPort(BlockingQueue<String> lines) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        int port = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                seen.add(line);
                Matcher m = BOUND.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                } else if (port > 0 && line.contains(" started in ")) {
                    return port;
                }
            }
        }
        throw new AssertionError("no 'MQTT listener bound' and 'started in' lines; output: " + seen);
    }
}
