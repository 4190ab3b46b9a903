package dev.midge.mqtt5;

import static dev.midge.mqtt5.RawMqtt5Client.PUBLISH;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.midge.mqtt5.Mqtt5Clients.Client;
import dev.midge.mqtt5.RawMqtt5Client.Packet;
import dev.midge.mqtt5.RawMqtt5Client.Props;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Message Expiry Interval (3.3.2.3.3): queued, forwarded and retained messages. */
@QuarkusTest
@Timeout(60)
class MessageExpiryTest extends Mqtt5TestBase {

    /** Leaves an offline session with a QoS 1 subscription to the topic; returns the client to resume it. */
    private Client offlineSubscriber(String clientId, String topic) {
        Client sub = clients.create(clientId);
        sub.mqtt.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
        sub.subscribe(topic, 1);
        sub.mqtt.disconnect();
        return sub;
    }

    private void publish(Client pub, String topic, String payload, long expiry, boolean retain) {
        pub.mqtt.publishWith().topic(topic).payload(payload.getBytes()).qos(MqttQos.AT_LEAST_ONCE).retain(retain)
                .messageExpiryInterval(expiry).send();
    }

    private static void resume(Client sub) {
        assertTrue(sub.mqtt.connectWith().cleanStart(false).sessionExpiryInterval(0).send().isSessionPresent());
    }

    /** MQTT-3.3.2-5: a message whose interval passed while queued is not delivered. */
    @Test
    void aMessageQueuedForAnOfflineSessionExpires() throws Exception {
        Client sub = offlineSubscriber("me-expire", "me/expire");
        Client pub = clients.connect("me-expire-pub");
        long expiredBefore = stats.droppedExpired();
        long published = System.currentTimeMillis();
        publish(pub, "me/expire", "expires after 1 s", 1, false);
        pub.publish("me/expire", "never expires", 1);
        Clock.awaitPassed(published, 1_100);
        resume(sub);
        assertEquals("never expires", sub.nextPayload(), "the expired message is not delivered");
        await().atMost(Duration.ofSeconds(5)).until(() -> stats.droppedExpired() > expiredBefore);
    }

    /** MQTT-3.3.2-6: the forwarded interval is the received one minus the time the message waited. */
    @Test
    void theForwardedExpiryIntervalIsReducedByTheTimeTheMessageWaited() throws Exception {
        Client sub = offlineSubscriber("me-reduce", "me/reduce");
        long published = System.currentTimeMillis();
        publish(clients.connect("me-reduce-pub"), "me/reduce", "waits", 60, false);
        Clock.awaitPassed(published, 1_100);
        resume(sub);
        Mqtt5Publish received = sub.next();
        long interval = received.getMessageExpiryInterval().orElseThrow();
        assertTrue(interval < 60 && interval >= 50, "forwarded Message Expiry Interval " + interval);
    }

    /** A retained message stops being sent to new subscribers once its interval has passed (3.3.2.3.3). */
    @Test
    void aRetainedMessageIsGoneOnceItExpires() throws Exception {
        long published = System.currentTimeMillis();
        publish(clients.connect("me-retained-pub"), "me/retained", "short-lived", 1, true);
        assertEquals("short-lived", firstAfterSubscribing("me/retained", "me-retained-0"), "retained at first");
        long[] gone = new long[1];
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    boolean markerFirst = firstAfterSubscribing("me/retained", "me-retained-probe").equals("marker");
                    gone[0] = System.currentTimeMillis();
                    return markerFirst;
                });
        assertTrue(gone[0] - published >= 1_000, "gone only after its 1 s: " + (gone[0] - published) + " ms");
    }

    /** Subscribes a fresh connection, then publishes a marker on the topic: the first message it gets. */
    private String firstAfterSubscribing(String topic, String clientId) throws Exception {
        try (RawMqtt5Client probe = rawClient(clientId)) {
            probe.subscribed(topic, 0);
            probe.publish(topic, "marker", 0, 0, false, Props.none());
            Packet first = probe.expect(PUBLISH);
            return first.payload();
        }
    }
}
