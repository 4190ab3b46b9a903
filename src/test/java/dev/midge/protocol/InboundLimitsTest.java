package dev.midge.protocol;

import static dev.midge.protocol.ConnectionHarness.all;
import static dev.midge.protocol.ConnectionHarness.connect;
import static dev.midge.protocol.ConnectionHarness.next;
import static dev.midge.protocol.ConnectionHarness.packetId;
import static dev.midge.protocol.ConnectionHarness.publish;
import static dev.midge.protocol.ConnectionHarness.reasonCode;
import static dev.midge.protocol.ConnectionHarness.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.config.MidgeConfig;
import dev.midge.limits.LimitKind;
import dev.midge.limits.Limits;
import dev.midge.limits.LimitsSettings;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * midge.limits on a connection: each on-excess mode on MQTT 3.1.1 and 5, and flapping client ids refused. The
 * limits run on a clock the test moves, the connection's loop on the embedded channel's frozen time.
 */
class InboundLimitsTest {

    private long now = 1_000_000_000L;
    private Limits limits;
    private ConnectionHarness broker;

    private void start(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("midge.persistence.enabled", "false");
        MidgeConfig config = LimitsSettings.config(all);
        limits = new Limits(config.limits(), () -> now);
        broker = new ConnectionHarness(config, limits);
    }

    /** A client limited to 10 PUBLISH/s with a burst of 2, and a subscriber to all it sends. */
    private EmbeddedChannel[] publisherAndSubscriber(MqttVersion version, String onExcess) {
        start(Map.of("midge.limits.publish-rate", "10", "midge.limits.publish-burst", "2",
                "midge.limits.on-excess", onExcess));
        EmbeddedChannel subscriber = subscriberToAll();
        EmbeddedChannel publisher = broker.connected(version, "publisher");
        publisher.freezeTime();
        for (int id = 1; id <= 2; id++) {
            MqttMessage ack = send(publisher, publish("t/" + id, 1, id));
            assertEquals(MqttMessageType.PUBACK, ack.fixedHeader().messageType());
        }
        assertEquals(2, all(subscriber).size(), "within the burst");
        return new EmbeddedChannel[] {publisher, subscriber};
    }

    private void advance(EmbeddedChannel channel, Duration by) {
        now += by.toNanos();
        channel.advanceTimeBy(by.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    void throttleStopsReadingUntilTheBucketRefillsAndLosesNothing(MqttVersion version) {
        EmbeddedChannel[] channels = publisherAndSubscriber(version, "throttle");
        EmbeddedChannel publisher = channels[0];
        assertFalse(publisher.config().isAutoRead(), "the burst emptied the bucket: not reading");
        assertNull(send(publisher, publish("t/3", 1, 3)), "read while throttled: held, not acknowledged yet");
        assertEquals(0, all(channels[1]).size(), "and not routed");

        advance(publisher, Duration.ofMillis(90));
        assertNull(next(publisher), "one token takes 100 ms");
        advance(publisher, Duration.ofMillis(20));
        assertEquals(3, packetId(next(publisher)), "replayed once half the burst (1) is back");
        assertEquals(1, all(channels[1]).size());
        assertFalse(publisher.config().isAutoRead(), "the replayed PUBLISH took the token: throttled again");
        advance(publisher, Duration.ofMillis(110));
        assertTrue(publisher.config().isAutoRead());
        assertEquals(2, limits.counters().count(LimitKind.PUBLISH_RATE));
    }

    @Test
    void aReadBurstBeyondTheBucketIsHeldAndLetThroughAtTheRate() {
        start(Map.of("midge.limits.publish-rate", "10", "midge.limits.publish-burst", "4",
                "midge.limits.on-excess", "throttle"));
        EmbeddedChannel subscriber = subscriberToAll();
        EmbeddedChannel publisher = broker.connected(MqttVersion.MQTT_5, "publisher");
        publisher.freezeTime();
        Object[] burst = qos0Burst(20);
        publisher.writeInbound(burst);
        publisher.runPendingTasks();
        assertEquals(4, all(subscriber).size(), "one read burst of 20: only the bucket's 4 are routed");
        int routed = 4;
        for (int tick = 0; tick < 40 && routed < burst.length; tick++) {
            advance(publisher, Duration.ofMillis(100));
            routed += all(subscriber).size();
            assertTrue(routed <= 4 + tick + 1, "10/s: at most one more per 100 ms, after " + (tick + 1) + " ticks");
        }
        assertEquals(burst.length, routed, "every held message routed in the end");
        advance(publisher, Duration.ofMillis(200));
        assertTrue(publisher.config().isAutoRead(), "nothing held, half the burst back: reading again");
    }

    @Test
    void whatAThrottledClientSentBeforeClosingIsStillRouted() {
        start(Map.of("midge.limits.publish-rate", "10", "midge.limits.publish-burst", "2",
                "midge.limits.on-excess", "throttle"));
        EmbeddedChannel subscriber = subscriberToAll();
        EmbeddedChannel publisher = broker.connected(MqttVersion.MQTT_3_1_1, "publisher");
        Object[] burst = qos0Burst(6);
        publisher.writeInbound(burst);
        assertEquals(2, all(subscriber).size());
        publisher.close();
        assertEquals(4, all(subscriber).size(), "the held rest, as a publisher paused for a slow subscriber");
    }

    /** A subscriber to every topic the tests publish to. */
    private EmbeddedChannel subscriberToAll() {
        EmbeddedChannel subscriber = broker.connected(MqttVersion.MQTT_5, "subscriber");
        send(subscriber, MqttMessageBuilders.subscribe().messageId(1)
                .addSubscription(MqttQoS.AT_MOST_ONCE, "t/#").build());
        return subscriber;
    }

    /** QoS 0 PUBLISHes to t/0, t/1, ..., to be written in one read burst. */
    private static Object[] qos0Burst(int count) {
        Object[] burst = new Object[count];
        for (int i = 0; i < count; i++) {
            burst[i] = publish("t/" + i, 0, 0);
        }
        return burst;
    }

    @Test
    void rejectAnswersMqtt5With0x96AndRoutesNothing() {
        EmbeddedChannel[] channels = publisherAndSubscriber(MqttVersion.MQTT_5, "reject");
        EmbeddedChannel publisher = channels[0];
        assertEquals(0x96, reasonCode(send(publisher, publish("t/3", 1, 3))), "Message rate too high");
        MqttMessage pubRec = send(publisher, publish("t/4", 2, 4));
        assertEquals(MqttMessageType.PUBREC, pubRec.fixedHeader().messageType());
        assertEquals(0x96, reasonCode(pubRec));
        assertFalse(broker.sessionLoop("publisher").awaitingRelease().contains(4), "a refused QoS 2 message awaits no PUBREL");
        assertTrue(all(channels[1]).isEmpty());
        assertTrue(publisher.config().isAutoRead() && publisher.isActive());

        advance(publisher, Duration.ofMillis(100));
        assertEquals(0x00, reasonCode(send(publisher, publish("t/5", 1, 5))), "a token back after 100 ms");
        assertEquals(1, all(channels[1]).size());
        assertEquals(2, limits.counters().count(LimitKind.PUBLISH_RATE));
    }

    @Test
    void aResentQos2PublishAwaitingReleaseIsNeitherCountedNorRefused() {
        start(Map.of("midge.limits.publish-rate", "10", "midge.limits.publish-burst", "1",
                "midge.limits.on-excess", "reject"));
        EmbeddedChannel publisher = broker.connected(MqttVersion.MQTT_5, "publisher");
        assertEquals(0x00, reasonCode(send(publisher, publish("t", 2, 9))));
        assertEquals(0x00, reasonCode(send(publisher, publish("t", 2, 9))), "accepted already");
        assertEquals(0x96, reasonCode(send(publisher, publish("t", 1, 10))));
        assertEquals(1, limits.counters().count(LimitKind.PUBLISH_RATE));
    }

    @Test
    void rejectAcknowledgesAndDropsOnMqtt311() {
        EmbeddedChannel[] channels = publisherAndSubscriber(MqttVersion.MQTT_3_1_1, "reject");
        MqttMessage ack = send(channels[0], publish("t/3", 1, 3));
        assertEquals(MqttMessageType.PUBACK, ack.fixedHeader().messageType());
        assertFalse(ack.variableHeader() instanceof MqttPubReplyMessageVariableHeader, "3.1.1 has no reason code");
        assertTrue(all(channels[1]).isEmpty(), "dropped");
        assertTrue(channels[0].isActive());
        assertEquals(1, limits.counters().count(LimitKind.PUBLISH_RATE));
    }

    @Test
    void disconnectSendsMqtt5Disconnect0x96() {
        EmbeddedChannel publisher = publisherAndSubscriber(MqttVersion.MQTT_5, "disconnect")[0];
        MqttMessage disconnect = send(publisher, publish("t/3", 1, 3));
        assertEquals(MqttMessageType.DISCONNECT, disconnect.fixedHeader().messageType());
        assertEquals(0x96, reasonCode(disconnect));
        assertFalse(publisher.isActive());
    }

    @Test
    void disconnectClosesAnMqtt311Connection() {
        EmbeddedChannel[] channels = publisherAndSubscriber(MqttVersion.MQTT_3_1_1, "disconnect");
        assertEquals(null, send(channels[0], publish("t/3", 1, 3)), "nothing to say in 3.1.1");
        assertFalse(channels[0].isActive());
        assertTrue(all(channels[1]).isEmpty());
    }

    @Test
    void theByteRateCountsPayloadBytes() {
        start(Map.of("midge.limits.publish-bytes-rate", "5", "midge.limits.on-excess", "reject"));
        EmbeddedChannel publisher = broker.connected(MqttVersion.MQTT_5, "publisher");
        assertEquals(0x00, reasonCode(send(publisher, publish("t", 1, 1))), "5 bytes, the whole burst");
        assertEquals(0x96, reasonCode(send(publisher, publish("t", 1, 2))));
        assertEquals(1, limits.counters().count(LimitKind.PUBLISH_BYTES_RATE));
    }

    @Test
    void aRuleExemptsSomeClients() {
        start(Map.of("midge.limits.publish-rate", "1", "midge.limits.on-excess", "reject",
                "midge.limits.rules[0].client-id-prefix", "bridge-", "midge.limits.rules[0].publish-rate", "0"));
        EmbeddedChannel bridge = broker.connected(MqttVersion.MQTT_5, "bridge-1");
        for (int id = 1; id <= 20; id++) {
            assertEquals(0x00, reasonCode(send(bridge, publish("t", 1, id))));
        }
        EmbeddedChannel device = broker.connected(MqttVersion.MQTT_5, "device-1");
        assertEquals(0x00, reasonCode(send(device, publish("t", 1, 1))));
        assertEquals(0x96, reasonCode(send(device, publish("t", 1, 2))));
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    void aFlappingClientIdIsBanned(MqttVersion version) {
        start(Map.of("midge.limits.flapping.enabled", "true", "midge.limits.flapping.max-count", "2",
                "midge.limits.flapping.window", "1m", "midge.limits.flapping.ban", "5m"));
        for (int i = 0; i < 2; i++) {
            broker.connected(version, "flapper").close();
        }
        MqttConnectReturnCode refused = connect(broker.open(), version, "flapper", ConnectionHarness.PASSWORD)
                .variableHeader().connectReturnCode();
        MqttConnectReturnCode expected = version == MqttVersion.MQTT_5
                ? MqttConnectReturnCode.CONNECTION_REFUSED_BANNED
                : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
        assertEquals(expected, refused);
        assertEquals(expected, connect(broker.open(), version, "flapper", "wrong").variableHeader()
                .connectReturnCode(), "refused before its password is checked");
        broker.connected(version, "other");
        assertEquals(2, limits.counters().count(LimitKind.FLAPPING));

        now += Duration.ofMinutes(5).toNanos();
        broker.connected(version, "flapper");
    }

    @Test
    void aWrongPasswordDoesNotCountTowardsABan() {
        start(Map.of("midge.limits.flapping.enabled", "true", "midge.limits.flapping.max-count", "1"));
        for (int i = 0; i < 5; i++) {
            connect(broker.open(), MqttVersion.MQTT_5, "victim", "wrong");
        }
        broker.connected(MqttVersion.MQTT_5, "victim");
    }
}
