package dev.midge.bridge;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.MosquittoBroker;
import dev.midge.testing.Mqtt3Clients;
import dev.midge.testing.Mqtt3Clients.Client;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Midge bridged to Debian's mosquitto on loopback, configured as a Mosquitto user would: sensors go out
 * under the remote prefix site1/, commands come in from it, chat goes both ways without looping, and
 * messages wait while the remote broker restarts.
 */
@QuarkusTest
@TestProfile(BridgeTest.Profile.class)
@Timeout(90)
class BridgeTest extends BrokerTestBase {

    private static final Duration WAIT = Duration.ofSeconds(15);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "midge.bridges.remote.address", "127.0.0.1:" + remotePort(),
                    "midge.bridges.remote.topics[0]", "sensors/# out 1 \"\" site1/",
                    "midge.bridges.remote.topics[1]", "cmd/# in 1 \"\" site1/",
                    "midge.bridges.remote.topics[2]", "chat/# both 1",
                    "midge.bridges.remote.reconnect-delay", "100ms",
                    "midge.bridges.remote.max-reconnect-delay", "500ms");
        }
    }

    static int remotePort() {
        return MosquittoBroker.sharedPort("bridge");
    }

    private static MosquittoBroker remote;

    @Inject
    Bridges bridges;

    private Mqtt3Clients remoteClients;

    @BeforeAll
    static void startRemote() throws Exception {
        Path dir = Path.of("target", "bridge-test", "mosquitto");
        Files.deleteIfExists(dir.resolve("mosquitto.db"));
        remote = new MosquittoBroker(dir, remotePort());
        remote.start();
    }

    @AfterAll
    static void stopRemote() throws Exception {
        remote.stop();
    }

    @BeforeEach
    void awaitBridge() {
        remoteClients = new Mqtt3Clients(remote.port());
        await().atMost(WAIT).until(() -> bridge().isConnected());
    }

    @AfterEach
    void closeRemoteClients() {
        remoteClients.close();
    }

    private Bridge bridge() {
        return bridges.all().get(0);
    }

    @Test
    void localMessagesGoOutUnderTheRemotePrefix() throws Exception {
        Client far = remoteClients.connect("far-sensors");
        far.subscribe("site1/#", 1);
        Client near = mqtt3.connect("near-sensor");
        near.publish("sensors/t1", "21.5", 1, false);
        Mqtt3Clients.Received received = far.next();
        assertEquals("site1/sensors/t1", received.topic());
        assertEquals("21.5", received.payload());
        near.publish("other/t1", "not bridged", 1, false);
        near.publish("sensors/t2", "marker", 1, false);
        assertEquals(List.of(), far.receivedBefore("marker"), "only the out topics cross");
    }

    @Test
    void remoteMessagesComeInWithoutThePrefix() throws Exception {
        Client near = mqtt3.connect("near-commands");
        near.subscribe("#", 1);
        Client far = remoteClients.connect("far-commander");
        far.publish("site1/cmd/reboot", "now", 1, false);
        Mqtt3Clients.Received received = near.next();
        assertEquals("cmd/reboot", received.topic());
        assertEquals("now", received.payload());
    }

    @Test
    void bothWaysWithoutEchoesOrLoops() throws Exception {
        Client near = mqtt3.connect("near-chat");
        near.subscribe("chat/#", 1);
        Client far = remoteClients.connect("far-chat");
        far.subscribe("chat/#", 1);
        near.publish("chat/a", "hello far", 1, false);
        assertEquals("hello far", far.next().payload());
        assertEquals("hello far", near.next().payload(), "its own, as any subscriber");
        far.publish("chat/b", "hello near", 1, false);
        assertEquals("hello near", near.next().payload());
        assertEquals("hello near", far.next().payload());
        // A marker over the bridge arrives after any echo that crossed it before: there must be none.
        far.publish("chat/end", "far-marker", 1, false);
        assertEquals(List.of(), near.receivedBefore("far-marker"), "nothing came back to the near side");
        assertEquals("far-marker", far.next().payload());
        near.publish("chat/end", "near-marker", 1, false);
        assertEquals(List.of(), far.receivedBefore("near-marker"), "nothing came back to the far side");
        assertEquals("near-marker", near.next().payload());
    }

    @Test
    void messagesWaitWhileTheRemoteBrokerRestarts() throws Exception {
        Client far = remoteClients.connect("far-durable", false);
        far.subscribe("site1/sensors/#", 1);
        far.disconnect();
        remote.stop();
        await().atMost(WAIT).until(() -> !bridge().isConnected());
        Client near = mqtt3.connect("near-durable");
        for (int i = 0; i < 3; i++) {
            near.publish("sensors/queued", "queued-" + i, 1, false);
        }
        await().atMost(WAIT).until(() -> bridge().queued() == 3);
        remote.start();
        await().atMost(WAIT).until(() -> bridge().isConnected() && bridge().queued() == 0);
        Client back = remoteClients.connect("far-durable", false);
        assertEquals(List.of("queued-0", "queued-1", "queued-2"),
                List.of(back.next().payload(), back.next().payload(), back.next().payload()));
    }

    /**
     * What a node does when it loses the bridge to another node of its cluster, and when it gets it back: stopped,
     * it takes nothing out; started, it connects again, and the remote broker hands it what came in meanwhile, as
     * it kept the bridge's session.
     */
    @Test
    void aStoppedBridgeCarriesNothingOutAndConnectsAgainWhenStarted() throws Exception {
        Client far = remoteClients.connect("far-stopped");
        far.subscribe("site1/sensors/#", 1);
        Client near = mqtt3.connect("near-stopped");
        near.subscribe("cmd/#", 1);
        bridges.run("remote", false);
        assertEquals(false, bridge().isConnected());
        near.publish("sensors/s", "while stopped", 1, false);
        far.publish("site1/cmd/c", "kept by the remote broker", 1, false);
        bridges.run("remote", true);
        await().atMost(WAIT).until(() -> bridge().isConnected());
        assertEquals("kept by the remote broker", near.next().payload());
        near.publish("sensors/s", "out-marker", 1, false);
        assertEquals(List.of(), far.receivedBefore("out-marker"), "nothing went out while it was stopped");
    }

    @Test
    void healthAndMetricsShowTheBridge() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'bridges' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'bridges' }.data.remote",
                        containsString("connected to 127.0.0.1:" + remote.port()));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("midge_bridge_connected{bridge=\"remote\"} 1.0"));
    }
}
