package dev.midge.mqtt5;

import static dev.midge.mqtt5.RawMqtt5Client.CONTENT_TYPE;
import static dev.midge.mqtt5.RawMqtt5Client.CORRELATION_DATA;
import static dev.midge.mqtt5.RawMqtt5Client.PAYLOAD_FORMAT_INDICATOR;
import static dev.midge.mqtt5.RawMqtt5Client.RESPONSE_TOPIC;
import static dev.midge.mqtt5.RawMqtt5Client.SESSION_EXPIRY_INTERVAL;
import static dev.midge.mqtt5.RawMqtt5Client.USER_PROPERTY;
import static dev.midge.mqtt5.RawMqtt5Client.WILL_DELAY_INTERVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.midge.mqtt5.Mqtt5Clients.Client;
import dev.midge.mqtt5.RawMqtt5Client.Props;
import dev.midge.mqtt5.RawMqtt5Client.Will;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The will (3.1.2.5) and its Will Delay Interval (3.1.3.2.2): published on a connection's abnormal end, after
 * the delay or when the session ends, whichever comes first (MQTT-3.1.3-9); a reconnect within the delay
 * cancels it; DISCONNECT 0x00 discards it, 0x04 asks for it.
 */
@QuarkusTest
@Timeout(60)
class WillTest extends Mqtt5TestBase {

    /** A subscriber to the will topic. */
    private Client watch(String willTopic) {
        Client watcher = clients.connect(willTopic.replace('/', '-') + "-watcher");
        watcher.subscribe(willTopic, 1);
        return watcher;
    }

    /** A raw client connected with a QoS 1 will "gone" on the topic; close() drops it without DISCONNECT. */
    private RawMqtt5Client connectWithWill(String clientId, long sessionExpiry, long willDelay, String willTopic)
            throws Exception {
        return rawClient(clientId, Props.of(SESSION_EXPIRY_INTERVAL, sessionExpiry),
                new Will(willTopic, "gone", 1, false, Props.of(WILL_DELAY_INTERVAL, willDelay)));
    }

    /** Waits for the will and returns the milliseconds since {@code since}. */
    private static long millisUntilWill(Client watcher, long since) throws Exception {
        assertEquals("gone", watcher.nextPayload());
        return System.currentTimeMillis() - since;
    }

    @Test
    void aDelayedWillIsPublishedOnceTheDelayHasPassed() throws Exception {
        Client watcher = watch("will/delayed");
        RawMqtt5Client client = connectWithWill("will-delayed", 60, 2, "will/delayed");
        long closed = System.currentTimeMillis();
        client.close();
        long waited = millisUntilWill(watcher, closed);
        assertTrue(waited >= 2_000, "published after " + waited + " ms, before its 2 s delay");
    }

    @Test
    void reconnectingWithinTheDelayCancelsTheWill() throws Exception {
        Client watcher = watch("will/cancelled");
        connectWithWill("will-cancelled", 60, 2, "will/cancelled").close();
        long closed = System.currentTimeMillis();
        try (RawMqtt5Client back = new RawMqtt5Client(listener.port())) {
            assertTrue(back.connectAccepted("will-cancelled", false, Props.none()).sessionPresent());
            Clock.awaitPassed(closed, 2_500);
            clients.connect("will-cancelled-pub").publish("will/cancelled", "marker", 1);
            assertEquals("marker", watcher.nextPayload(), "no will once the client came back within the delay");
        }
    }

    /** Session expiry 1 s, will delay 60 s: the session's end comes first and publishes the will. */
    @Test
    void theWillIsPublishedWhenTheSessionEndsBeforeTheDelay() throws Exception {
        Client watcher = watch("will/session-end");
        RawMqtt5Client client = connectWithWill("will-session-end", 1, 60, "will/session-end");
        long closed = System.currentTimeMillis();
        client.close();
        long waited = millisUntilWill(watcher, closed);
        assertTrue(waited >= 1_000, "published after " + waited + " ms, before the session's end at 1 s");
    }

    /** Session expiry 0: the session ends with the connection, so a delayed will is published at once. */
    @Test
    void aDelayedWillIsPublishedAtOnceWhenTheSessionEndsWithTheConnection() throws Exception {
        Client watcher = watch("will/expiry-zero");
        connectWithWill("will-expiry-zero", 0, 60, "will/expiry-zero").close();
        assertEquals("gone", watcher.nextPayload());
    }

    @Test
    void disconnectWithWillMessagePublishesTheWill() throws Exception {
        Client watcher = watch("will/0x04");
        try (RawMqtt5Client client = connectWithWill("will-0x04", 0, 0, "will/0x04")) {
            client.disconnect(0x04, Props.none());
            assertTrue(client.closedWithin(5_000));
        }
        assertEquals("gone", watcher.nextPayload());
    }

    /** 3.1.3.2: the will's properties, Will Delay Interval aside, reach subscribers as a PUBLISH's would. */
    @Test
    void theWillCarriesItsProperties() throws Exception {
        Client watcher = watch("will/props");
        Props properties = Props.of(PAYLOAD_FORMAT_INDICATOR, 1).with(CONTENT_TYPE, "text/plain")
                .with(RESPONSE_TOPIC, "will/props/reply").with(CORRELATION_DATA, new byte[] {1, 2, 3})
                .with(USER_PROPERTY, new String[] {"k", "v1"}).with(USER_PROPERTY, new String[] {"k", "v2"});
        try (RawMqtt5Client client = rawClient("will-props", Props.none(),
                new Will("will/props", "gone", 1, false, properties))) {
            client.disconnect(0x04, Props.none());
            assertTrue(client.closedWithin(5_000));
        }
        Mqtt5Publish will = watcher.next();
        assertEquals(Optional.of(Mqtt5PayloadFormatIndicator.UTF_8), will.getPayloadFormatIndicator());
        assertEquals("text/plain", will.getContentType().orElseThrow().toString());
        assertEquals("will/props/reply", will.getResponseTopic().orElseThrow().toString());
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), will.getCorrelationData().orElseThrow());
        assertEquals(List.of("k=v1", "k=v2"), will.getUserProperties().asList().stream()
                .map(p -> p.getName() + "=" + p.getValue()).toList());
    }

    @Test
    void aNormalDisconnectDiscardsTheWill() throws Exception {
        Client watcher = watch("will/normal");
        try (RawMqtt5Client client = connectWithWill("will-normal", 0, 0, "will/normal")) {
            client.disconnect(0x00, Props.none());
            assertTrue(client.closedWithin(5_000));
        }
        clients.connect("will-normal-pub").publish("will/normal", "marker", 1);
        assertEquals("marker", watcher.nextPayload(), "no will after DISCONNECT 0x00");
    }
}
