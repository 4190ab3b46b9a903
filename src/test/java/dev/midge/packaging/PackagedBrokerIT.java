package dev.midge.packaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.BrokerProcess;
import dev.midge.testing.RawMqttClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged application as an operator runs it: {@code java -jar target/quarkus-app/quarkus-run.jar}. It
 * logs the bound listener, serves MQTT, and on SIGTERM tells MQTT 5 clients it is shutting down (DISCONNECT
 * 0x8B), closes its connections and exits with status 0.
 */
@Timeout(120)
class PackagedBrokerIT {

    @Test
    void startsServesAndStopsCleanlyOnSigterm() throws Exception {
        Path store = Path.of("target", "packaged-it-store");
        try (BrokerProcess broker = new BrokerProcess("midge.persistence.dir=" + store)) {
            try (RawMqttClient client = new RawMqttClient(broker.port());
                    RawMqttClient v5 = new RawMqttClient(broker.port())) {
                client.connectAccepted("packaged-client", true);
                // MQTT 5 CONNECT: level 5, clean start, keepalive 60, no properties.
                v5.sendPacket(0x10, new RawMqttClient.Body().string("MQTT").bytes(5, 0x02, 0, 60, 0)
                        .string("packaged-v5").toBytes());
                assertEquals(0, v5.expect(RawMqttClient.CONNACK).body()[1], "accepted");
                broker.terminate();
                RawMqttClient.Packet disconnect = v5.read();
                assertEquals(14, disconnect.type(), "MQTT 5 clients get a DISCONNECT");
                assertEquals((byte) 0x8B, disconnect.body()[0], "server shutting down");
                assertTrue(client.closedWithin(10_000), "connections are closed on shutdown");
            }
            assertEquals(0, broker.awaitExit(), "exit status after SIGTERM; output: " + broker.output());
        }
    }

    @Test
    void aListenerThatCannotBindStopsStartUpNamingItsKeys() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            BrokerProcess.Failed failed = BrokerProcess.failingToStart("midge.mqtt.port=" + taken.getLocalPort(),
                    "midge.persistence.enabled=false");
            assertNotEquals(0, failed.status(), "a broker without its listener does not run half-ready");
            String expected = "Cannot bind an MQTT listener to 127.0.0.1:" + taken.getLocalPort()
                    + " (midge.mqtt.host, midge.mqtt.port)";
            assertTrue(failed.output().stream().anyMatch(line -> line.contains(expected)),
                    "names the address and keys; output: " + failed.output());
        }
    }

    @Test
    void anIntegrationOnAConnectorNotInTheBuildStopsStartUpNamingItsKey() throws Exception {
        BrokerProcess.Failed failed = BrokerProcess.failingToStart("midge.persistence.enabled=false",
                "midge.integrations.queue.connector=smallrye-jms", "midge.integrations.queue.topics[0]=# out");
        assertNotEquals(0, failed.status());
        String expected = "midge.integrations.queue.connector=smallrye-jms: no outgoing Reactive Messaging connector";
        assertTrue(failed.output().stream().anyMatch(line -> line.contains(expected)),
                "names the key; output: " + failed.output());
    }

    @Test
    void logsOneJsonObjectPerLineWhenAsked() throws Exception {
        Path store = Path.of("target", "packaged-it-store-json");
        try (BrokerProcess broker = new BrokerProcess("midge.persistence.dir=" + store, "midge.log.json=true");
                RawMqttClient client = new RawMqttClient(broker.port())) {
            client.connectAccepted("json-logged", true);
            client.disconnect();
            assertNotNull(broker.awaitLine("Client json-logged disconnected", 10, TimeUnit.SECONDS));
            assertEquals(0, broker.stop());
            ObjectMapper mapper = new ObjectMapper();
            for (String line : broker.output()) {
                assertTrue(line.startsWith("{") && mapper.readTree(line).has("message"), "not JSON: " + line);
            }
            JsonNode connected = mapper.readTree(broker.awaitLine("Client json-logged connected", 0,
                    TimeUnit.SECONDS));
            assertEquals("dev.midge.protocol.MqttConnection", connected.get("logger").asText());
        }
    }

    /**
     * A client that stops reading cannot hold the shutdown up: what is buffered for it never drains, so after
     * {@code midge.shutdown-timeout} its connection is cut, said so in the log, and the broker exits 0.
     */
    @Test
    void aClientThatStopsReadingCannotHoldTheShutdownUp() throws Exception {
        try (BrokerProcess broker = new BrokerProcess("midge.persistence.enabled=false", "midge.shutdown-timeout=1s",
                "midge.max-queued-messages=100", "midge.slow-subscriber-timeout=0s");
                RawMqttClient stuck = new RawMqttClient(broker.port());
                RawMqttClient pub = new RawMqttClient(broker.port())) {
            stuck.connectAccepted("stuck-sub", true);
            stuck.subscribe(1, "stuck/data", 0);
            stuck.subAck(1);
            pub.connectAccepted("stuck-pub", true);
            Thread publishing = new Thread(() -> {
                String payload = "x".repeat(900);
                try {
                    for (int i = 0; i < 30_000; i++) {
                        pub.publish("stuck/data", payload, 0, 0, false);
                    }
                } catch (Exception e) {
                    // The broker went away while this thread was blocked writing to it.
                }
            }, "stuck-pub");
            publishing.setDaemon(true);
            publishing.start();
            // The queue fills whenever the socket is momentarily busy; once the socket buffers are full for good
            // (the subscriber never reads), it stays full.
            URI metrics = URI.create(broker.awaitLine("Listening on: ", 10, TimeUnit.SECONDS)
                    .replaceAll(".*Listening on: (\\S+).*", "$1") + "/q/metrics");
            HttpClient http = HttpClient.newHttpClient();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(40))
                    .until(() -> queued(http, metrics) >= 100);

            broker.terminate();
            assertNotNull(broker.awaitLine("still open after midge.shutdown-timeout=", 20, TimeUnit.SECONDS),
                    "the stuck connection is cut; output: " + broker.output());
            assertEquals(0, broker.awaitExit(), "exit status after SIGTERM; output: " + broker.output());
        }
    }

    private static double queued(HttpClient http, URI metrics) throws Exception {
        String body = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(line -> line.startsWith("midge_messages_queued "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).sum();
    }
}
