package dev.midge.bridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.MosquittoBroker;
import dev.midge.testing.Mqtt3Clients;
import dev.midge.testing.Mqtt3Clients.Client;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An integration on SmallRye's MQTT connector, to Debian's mosquitto on loopback: the same bridge as
 * {@link BridgeTest}, with the connector as its far end.
 */
@QuarkusTest
@TestProfile(MqttConnectorIntegrationTest.Profile.class)
@Timeout(90)
class MqttConnectorIntegrationTest extends BrokerTestBase {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration RESEND = Duration.ofMillis(300);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            config.putAll(integration("cloud", remotePort(), "sensors", "cmd", "site1/"));
            // Its remote broker is started by the test that needs it: until then its connector keeps trying.
            config.putAll(integration("late", latePort(), "meters", "valves", "site2/"));
            return config;
        }

        private static Map<String, String> integration(String name, int port, String out, String in,
                String remotePrefix) {
            String key = "midge.integrations." + name + ".";
            return Map.of(
                    key + "connector", "smallrye-mqtt",
                    key + "attributes.host", "127.0.0.1",
                    key + "attributes.port", String.valueOf(port),
                    // A default topic for the outgoing side; the incoming channels keep their lines' filters.
                    key + "attributes.topic", "midge/unused",
                    key + "topics[0]", out + "/# out 1 \"\" " + remotePrefix,
                    key + "topics[1]", in + "/# in 1 \"\" " + remotePrefix);
        }
    }

    static int remotePort() {
        return MosquittoBroker.sharedPort("integration");
    }

    static int latePort() {
        return MosquittoBroker.sharedPort("integration-late");
    }

    private static MosquittoBroker remote;
    private static MosquittoBroker lateRemote;
    private Mqtt3Clients remoteClients;

    @Inject
    Integrations integrations;

    @BeforeAll
    static void startRemote() throws Exception {
        Path dir = Path.of("target", "integration-test", "mosquitto");
        Files.deleteIfExists(dir.resolve("mosquitto.db"));
        remote = new MosquittoBroker(dir, remotePort());
        remote.start();
    }

    @AfterAll
    static void stopRemote() throws Exception {
        remote.stop();
        if (lateRemote != null) {
            lateRemote.stop();
        }
    }

    @BeforeEach
    void openRemoteClients() {
        remoteClients = new Mqtt3Clients(remote.port());
    }

    @AfterEach
    void closeRemoteClients() {
        remoteClients.close();
    }

    @Test
    void localMessagesGoOutThroughTheConnectorUnderTheRemotePrefix() throws Exception {
        Client far = remoteClients.connect("far-sensors");
        far.subscribe("site1/#", 1);
        Client near = mqtt3.connect("near-sensor");
        // The connector connects on its own time; until then what it is handed may be refused, so send again.
        AtomicReference<Mqtt3Clients.Received> got = new AtomicReference<>();
        await().atMost(WAIT).pollInterval(RESEND).until(() -> {
            near.publish("sensors/t1", "21.5", 1, false);
            got.compareAndSet(null, far.poll());
            return got.get() != null;
        });
        assertEquals("site1/sensors/t1", got.get().topic());
        assertEquals("21.5", got.get().payload());
    }

    @Test
    void remoteMessagesComeInThroughTheConnectorWithoutThePrefix() throws Exception {
        Client near = mqtt3.connect("near-commands");
        near.subscribe("#", 1);
        Client far = remoteClients.connect("far-commander");
        // The connector subscribes at the remote broker on its own time: publish until it has.
        AtomicReference<Mqtt3Clients.Received> got = new AtomicReference<>();
        await().atMost(WAIT).pollInterval(RESEND).until(() -> {
            far.publish("site1/cmd/reboot", "now", 1, false);
            got.compareAndSet(null, near.poll());
            return got.get() != null;
        });
        assertEquals("cmd/reboot", got.get().topic());
        assertEquals("now", got.get().payload());
    }

    /**
     * What a node does when it loses the integration to another node of its cluster, and when it gets it back:
     * stopped, nothing crosses either way; started, it opens new channels and both ways work again.
     */
    @Test
    void aStoppedIntegrationCarriesNothingAndWorksAgainWhenStarted() throws Exception {
        Client far = remoteClients.connect("far-restart");
        far.subscribe("site1/sensors/#", 1);
        Client near = mqtt3.connect("near-restart");
        near.subscribe("cmd/#", 1);
        // Running first: its connector has connected (stopped before that, see the test below).
        awaitBothWays(near, far, "running", new ArrayList<>(), new ArrayList<>());
        integrations.run("cloud", false);
        assertFalse(integrations.all().stream().filter(i -> i.name().equals("cloud")).findFirst().orElseThrow()
                .isRunning());
        near.publish("sensors/r", "while stopped", 1, false);
        far.publish("site1/cmd/r", "while stopped", 1, false);
        integrations.run("cloud", true);
        List<String> out = new ArrayList<>();
        List<String> in = new ArrayList<>();
        awaitBothWays(near, far, "probe", out, in);
        near.publish("sensors/r", "marker", 1, false);
        far.publish("site1/cmd/r", "marker", 1, false);
        out.addAll(far.receivedBefore("marker").stream().map(Mqtt3Clients.Received::payload).toList());
        in.addAll(near.receivedBefore("marker").stream().map(Mqtt3Clients.Received::payload).toList());
        assertFalse(out.contains("while stopped"), "nothing went out while it was stopped: " + out);
        assertFalse(in.contains("while stopped"), "nothing came in while it was stopped: " + in);
    }

    /**
     * Stopped while its connector is still making its first connection (nothing listens on the remote port yet)
     * and started again, as when its node loses it and gets it back while the remote broker is down: once the
     * remote broker is up, both ways work. The first run's outgoing channel used to close the session the second
     * run shared with it, as soon as that session first connected.
     */
    @Test
    void anIntegrationStoppedDuringItsFirstConnectionWorksWhenStartedAgain() throws Exception {
        // Where the remote broker will be, a port that accepts and closes: the connector is trying to connect.
        try (ServerSocket placeholder = new ServerSocket()) {
            placeholder.bind(new InetSocketAddress("127.0.0.1", latePort()));
            placeholder.setSoTimeout((int) WAIT.toMillis());
            placeholder.accept().close();
        }
        integrations.run("late", false);
        integrations.run("late", true);
        Path dir = Path.of("target", "integration-test", "mosquitto-late");
        Files.deleteIfExists(dir.resolve("mosquitto.db"));
        lateRemote = new MosquittoBroker(dir, latePort());
        lateRemote.start();
        try (Mqtt3Clients lateClients = new Mqtt3Clients(latePort())) {
            Client far = lateClients.connect("far-late");
            far.subscribe("site2/meters/#", 1);
            Client near = mqtt3.connect("near-late");
            near.subscribe("valves/#", 1);
            awaitBothWays(near, "meters/r", far, "site2/valves/r", "late", new ArrayList<>(), new ArrayList<>());
        }
    }

    private static void awaitBothWays(Client near, Client far, String payload, List<String> out, List<String> in) {
        awaitBothWays(near, "sensors/r", far, "site1/cmd/r", payload, out, in);
    }

    /** Publishes the payload both ways until each side has received it, collecting what each side got. */
    private static void awaitBothWays(Client near, String nearTopic, Client far, String farTopic, String payload,
            List<String> out, List<String> in) {
        await().atMost(WAIT).pollInterval(RESEND).until(() -> {
            near.publish(nearTopic, payload, 1, false);
            far.publish(farTopic, payload, 1, false);
            for (Mqtt3Clients.Received r = far.poll(); r != null; r = far.poll()) {
                out.add(r.payload());
            }
            for (Mqtt3Clients.Received r = near.poll(); r != null; r = near.poll()) {
                in.add(r.payload());
            }
            return out.contains(payload) && in.contains(payload);
        });
    }
}
