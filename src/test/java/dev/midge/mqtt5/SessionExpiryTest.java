package dev.midge.mqtt5;

import static dev.midge.mqtt5.RawMqtt5Client.SESSION_EXPIRY_INTERVAL;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.mqtt5.Mqtt5Clients.Client;
import dev.midge.mqtt5.RawMqtt5Client.Props;
import dev.midge.mqtt5.RawMqtt5Client.Will;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Session Expiry Interval (3.1.2.11.2) and Clean Start (3.1.2.4). */
@QuarkusTest
@Timeout(60)
class SessionExpiryTest extends Mqtt5TestBase {

    /** Connects with the session expiry, subscribes at QoS 1 and disconnects normally. */
    private void leaveSession(String clientId, String filter, long expiry) {
        Client client = clients.create(clientId);
        client.mqtt.connectWith().cleanStart(true).sessionExpiryInterval(expiry).send();
        client.subscribe(filter, 1);
        client.mqtt.disconnect();
    }

    /** Reconnects with Clean Start 0 and the same expiry, and returns CONNACK's session-present flag. */
    private boolean resume(String clientId, long expiry) throws Exception {
        try (RawMqtt5Client client = new RawMqtt5Client(listener.port())) {
            boolean present = client.connectAccepted(clientId, false, Props.of(SESSION_EXPIRY_INTERVAL, expiry))
                    .sessionPresent();
            client.disconnect(0x00, Props.none());
            return present;
        }
    }

    @Test
    void aSessionWithExpiryOutlivesItsConnectionAndGetsWhatWasPublishedMeanwhile() throws Exception {
        leaveSession("se-keep", "se/keep", 60);
        clients.connect("se-keep-pub").publish("se/keep", "while away", 1);
        Client back = clients.create("se-keep");
        assertTrue(back.mqtt.connectWith().cleanStart(false).sessionExpiryInterval(60).send().isSessionPresent());
        assertEquals("while away", back.nextPayload());
        back.mqtt.disconnectWith().sessionExpiryInterval(0).send();
    }

    @Test
    void aSessionWithExpiryZeroEndsWithItsConnection() throws Exception {
        leaveSession("se-zero", "se/zero", 0);
        clients.connect("se-zero-pub").publish("se/zero", "after the end", 1);
        Client back = clients.create("se-zero");
        assertFalse(back.mqtt.connectWith().cleanStart(false).send().isSessionPresent());
        back.subscribe("se/zero-marker", 1);
        clients.connect("se-zero-pub2").publish("se/zero-marker", "marker", 1);
        assertEquals("marker", back.nextPayload(), "the ended session's subscription and message are gone");
    }

    /**
     * A session with expiry 2 s is there just after its connection closes and gone 2 s later. Each probe
     * reconnects with Clean Start 0, which resumes a session still there and restarts its 2 s, so probes are
     * further apart than that.
     */
    @Test
    void aSessionEndsOnceItsExpiryIntervalHasPassed() throws Exception {
        leaveSession("se-two", "se/two", 2);
        assertTrue(resume("se-two", 2), "still there just after the connection closed");
        await().pollDelay(Duration.ofMillis(2_500)).pollInterval(Duration.ofMillis(2_500))
                .atMost(Duration.ofSeconds(20))
                .until(() -> !resume("se-two", 2));
    }

    @Test
    void disconnectCanChangeTheSessionExpiryInterval() throws Exception {
        Client client = clients.create("se-change");
        client.mqtt.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
        client.subscribe("se/change", 1);
        client.mqtt.disconnectWith().sessionExpiryInterval(0).send();
        assertFalse(resume("se-change", 60), "expiry 0 from the DISCONNECT ended the session at once");
    }

    /**
     * 3.14.2.2.2: a non-zero Session Expiry Interval on DISCONNECT after CONNECT said 0 is a Protocol Error;
     * the server answers DISCONNECT 0x82, and as the client's DISCONNECT was not valid, the will is published.
     */
    @Test
    void aNonZeroExpiryOnDisconnectAfterZeroOnConnectIsAProtocolError() throws Exception {
        Client watcher = clients.connect("se-proto-watcher");
        watcher.subscribe("se/proto-will", 1);
        try (RawMqtt5Client client = rawClient("se-proto", Props.none(),
                new Will("se/proto-will", "will", 1, false, Props.none()))) {
            client.disconnect(0x00, Props.of(SESSION_EXPIRY_INTERVAL, 60));
            client.expectDisconnect(0x82);
        }
        assertEquals("will", watcher.nextPayload());
    }

    @Test
    void cleanStartDiscardsTheSession() throws Exception {
        leaveSession("se-clean", "se/clean", 60);
        Client pub = clients.connect("se-clean-pub");
        pub.publish("se/clean", "queued for the old session", 1);
        Client back = clients.create("se-clean");
        assertFalse(back.mqtt.connectWith().cleanStart(true).sessionExpiryInterval(60).send().isSessionPresent());
        back.subscribe("se/clean-marker", 1);
        pub.publish("se/clean", "after clean start", 1);
        pub.publish("se/clean-marker", "marker", 1);
        assertEquals("marker", back.nextPayload(), "neither the queued message nor the old subscription survive");
        back.mqtt.disconnectWith().sessionExpiryInterval(0).send();
    }

    /**
     * A session with expiry 0 ends with its connection, even when the client reconnects before the broker has
     * seen that connection close: the next CONNECT, on another event loop, must never resume it.
     */
    @Test
    void aSessionWithExpiryZeroIsNeverResumedByAnImmediateReconnect() throws Exception {
        int rounds = 200;
        int resumed = 0;
        for (int i = 0; i < rounds; i++) {
            try (RawMqtt5Client ending = new RawMqtt5Client(listener.port())) {
                assertFalse(ending.connectAccepted("se-race", true, Props.none()).sessionPresent());
                ending.disconnect(0x00, Props.none());
            }
            try (RawMqtt5Client resuming = new RawMqtt5Client(listener.port())) {
                if (resuming.connectAccepted("se-race", false, Props.of(SESSION_EXPIRY_INTERVAL, 60))
                        .sessionPresent()) {
                    resumed++;
                }
                resuming.disconnect(0x00, Props.none());
            }
        }
        assertEquals(0, resumed, "rounds out of " + rounds + " that resumed the ended session");
    }
}
