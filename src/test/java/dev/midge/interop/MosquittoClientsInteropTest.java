package dev.midge.interop;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.Mqtt3Clients.Client;
import dev.midge.testing.Mqtt3Clients.Received;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The broker against the real mosquitto_sub and mosquitto_pub binaries (Debian's mosquitto-clients). */
@QuarkusTest
@Timeout(60)
class MosquittoClientsInteropTest extends BrokerTestBase {

    @BeforeAll
    static void mosquittoClientsInstalled() {
        MosquittoClient.assertInstalled();
    }

    /** The check every Mosquitto user knows: subscribe to juniper, publish "Hello World!", it is printed. */
    @Test
    void helloWorldOnJuniper() throws Exception {
        try (MosquittoClient sub = MosquittoClient.start("mosquitto_sub", "-h", "127.0.0.1", "-p", port(),
                "-t", "juniper", "-C", "1", "-W", "10")) {
            // mosquitto_sub says nothing once subscribed: publish until it has printed its one message and exited.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
                publish("-t", "juniper", "-m", "Hello World!");
                return sub.hasExited(300);
            });
            sub.assertExits(0, 5);
            assertEquals(List.of("Hello World!"), sub.output());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2"})
    void qualityOfService(String qos) throws Exception {
        String topic = "interop/qos" + qos;
        try (MosquittoClient sub = subscribed("-t", topic, "-q", qos)) {
            publish("-t", topic, "-q", qos, "-m", "at qos " + qos);
            String received = sub.awaitLine("received PUBLISH", 10);
            assertTrue(received.contains("q" + qos), "delivered at QoS " + qos + ": " + received);
            sub.awaitLine("at qos " + qos, 10);
            sub.assertExits(0, 10);
        }
    }

    @Test
    void aRetainedMessageReachesALaterSubscriber() throws Exception {
        try {
            publish("-t", "interop/retained", "-r", "-q", "1", "-m", "kept");
            try (MosquittoClient sub = MosquittoClient.start("mosquitto_sub", "-h", "127.0.0.1", "-p", port(),
                    "-t", "interop/retained", "-C", "1", "-W", "20", "-F", "%r %t %p")) {
                sub.assertExits(0, 15);
                assertEquals(List.of("1 interop/retained kept"), sub.output(), "retain flag, topic, payload");
            }
        } finally {
            publish("-t", "interop/retained", "-r", "-q", "1", "-n");
        }
    }

    @Test
    void theWillOfAKilledClientIsPublished() throws Exception {
        Client watcher = mqtt3.connect("interop-will-watcher");
        watcher.subscribe("interop/will", 1);
        try (MosquittoClient doomed = subscribed("-t", "interop/unused", "--will-topic", "interop/will",
                "--will-payload", "gone", "--will-qos", "1")) {
            doomed.kill();
        }
        assertEquals(new Received("interop/will", "gone", 1, false), watcher.next());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv31", "mqttv311", "mqttv5"})
    void eachProtocolVersion(String version) throws Exception {
        String topic = "interop/" + version;
        try (MosquittoClient sub = subscribed("-V", version, "-t", topic)) {
            publish("-V", version, "-t", topic, "-q", "1", "-m", "over " + version);
            sub.awaitLine("over " + version, 10);
            sub.assertExits(0, 10);
        }
    }

    /** mosquitto_sub with -d, for one message, once its SUBACK came. */
    private MosquittoClient subscribed(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", port(), "-d", "-C", "1",
                "-W", "30"));
        all.addAll(List.of(args));
        MosquittoClient sub = MosquittoClient.start("mosquitto_sub", all.toArray(String[]::new));
        try {
            sub.awaitLine("received SUBACK", 10);
            return sub;
        } catch (AssertionError | RuntimeException | InterruptedException e) {
            sub.close();
            throw e;
        }
    }

    private void publish(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", port()));
        all.addAll(List.of(args));
        MosquittoClient.publish(all.toArray(String[]::new));
    }

    private String port() {
        return String.valueOf(listener.port());
    }
}
