package dev.midge.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.BrokerProcess;
import dev.midge.testing.RawMqttClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
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
}
