package dev.midge.protocol;

import static dev.midge.protocol.ConnectionHarness.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.config.MidgeConfig;
import dev.midge.limits.Limits;
import dev.midge.limits.LimitsSettings;
import dev.midge.persistence.Recovered;
import dev.midge.session.Session;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code midge.max-session-expiry} (Mosquitto's {@code persistent_client_expiration}): an offline session ends
 * after it, whatever longer expiry its client asked for, also when read back from the store; a reload (SIGHUP)
 * counts for the connections that end after it.
 */
class MaxSessionExpiryTest {

    private static final Duration MAX = Duration.ofHours(1);

    private final MidgeConfig config = LimitsSettings.config(Map.of("midge.persistence.enabled", "false",
            "midge.max-session-expiry", "1h"));
    private final ConnectionHarness broker = new ConnectionHarness(config, new Limits(config.limits(),
            System::nanoTime));

    /** Connects without a clean start; MQTT 5 asks for {@code expirySeconds}. */
    private static EmbeddedChannel connectPersistent(ConnectionHarness harness, MqttVersion version,
            String clientId, long expirySeconds) {
        MqttProperties properties = new MqttProperties();
        if (version == MqttVersion.MQTT_5) {
            properties.add(new IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(),
                    (int) expirySeconds));
        }
        MqttMessage connect = MqttMessageBuilders.connect().protocolVersion(version).clientId(clientId)
                .cleanSession(false).keepAlive(0).username("user")
                .password(ConnectionHarness.PASSWORD.getBytes(StandardCharsets.UTF_8)).properties(properties)
                .build();
        EmbeddedChannel channel = harness.open();
        MqttConnAckMessage connAck = (MqttConnAckMessage) send(channel, connect);
        assertEquals(MqttConnectReturnCode.CONNECTION_ACCEPTED, connAck.variableHeader().connectReturnCode());
        return channel;
    }

    /**
     * The client sends DISCONNECT and the broker closes the connection: closing the embedded channel from the
     * test would cancel what its loop has scheduled, the session's expiry among it.
     */
    private static void disconnect(EmbeddedChannel client) {
        client.writeInbound(MqttMessageBuilders.disconnect().build());
        client.runPendingTasks();
        assertFalse(client.isActive());
    }

    /** The channel's loop runs what is due after {@code time}, and what that hands on. */
    private static void passes(EmbeddedChannel loop, Duration time) {
        loop.runPendingTasks();
        loop.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        loop.runScheduledPendingTasks();
        loop.runPendingTasks();
    }

    private boolean exists(ConnectionHarness harness, String clientId) {
        return harness.sessions.find(clientId).isPresent();
    }

    @Test
    void anOfflineMqtt3PersistentSessionEndsAfterTheLimit() {
        EmbeddedChannel client = connectPersistent(broker, MqttVersion.MQTT_3_1_1, "p3", 0);
        disconnect(client);
        passes(client, MAX.minusMinutes(1));
        assertTrue(exists(broker, "p3"), "kept within the limit");
        passes(client, Duration.ofMinutes(2));
        assertFalse(exists(broker, "p3"), "ended after it");
    }

    @Test
    void anMqtt5SessionEndsAtTheLimitOrAtItsOwnShorterExpiry() {
        EmbeddedChannel longer = connectPersistent(broker, MqttVersion.MQTT_5, "long", MAX.toSeconds() * 24);
        EmbeddedChannel shorter = connectPersistent(broker, MqttVersion.MQTT_5, "short", 60);
        disconnect(longer);
        disconnect(shorter);
        passes(shorter, Duration.ofMinutes(2));
        assertFalse(exists(broker, "short"), "its own minute");
        assertTrue(exists(broker, "long"));
        passes(longer, MAX.plusMinutes(1));
        assertFalse(exists(broker, "long"), "the broker's hour, not the day it asked for");
    }

    @Test
    void aReloadedLimitCountsForConnectionsThatEndAfterItAndAnOfflineSessionKeepsItsTime() {
        EmbeddedChannel early = connectPersistent(broker, MqttVersion.MQTT_3_1_1, "early", 0);
        EmbeddedChannel later = connectPersistent(broker, MqttVersion.MQTT_3_1_1, "later", 0);
        disconnect(early);
        broker.sessions.maxSessionExpiry(Optional.of(Duration.ofMinutes(10)));
        disconnect(later);
        passes(later, Duration.ofMinutes(11));
        assertFalse(exists(broker, "later"), "created before the reload, its connection ended after it");
        passes(early, Duration.ofMinutes(11));
        assertTrue(exists(broker, "early"), "offline before the reload: its hour");
        passes(early, MAX);
        assertFalse(exists(broker, "early"));

        broker.sessions.maxSessionExpiry(Optional.empty());
        EmbeddedChannel unlimited = connectPersistent(broker, MqttVersion.MQTT_3_1_1, "unlimited", 0);
        disconnect(unlimited);
        passes(unlimited, Duration.ofDays(400));
        assertTrue(exists(broker, "unlimited"), "the limit removed");
    }

    @Test
    void withoutALimitAnMqtt3PersistentSessionStays() {
        ConnectionHarness unlimited = new ConnectionHarness();
        EmbeddedChannel client = connectPersistent(unlimited, MqttVersion.MQTT_3_1_1, "p3", 0);
        disconnect(client);
        passes(client, Duration.ofDays(400));
        assertTrue(exists(unlimited, "p3"));
    }

    @Test
    void aStoredSessionCountsFromWhenItsClientWentAwayBeforeTheRestart() {
        EmbeddedChannel loop = new EmbeddedChannel();
        long now = System.currentTimeMillis();
        broker.sessions.restore(stored("gone-long", now - MAX.plusMinutes(5).toMillis()), loop.eventLoop());
        broker.sessions.restore(stored("gone-lately", now - MAX.minusMinutes(10).toMillis()), loop.eventLoop());
        loop.runPendingTasks();
        loop.runScheduledPendingTasks();
        assertFalse(exists(broker, "gone-long"), "over the limit already");
        passes(loop, Duration.ofMinutes(5));
        assertTrue(exists(broker, "gone-lately"), "ten minutes were left");
        passes(loop, Duration.ofMinutes(6));
        assertFalse(exists(broker, "gone-lately"));
    }

    private static Recovered.StoredSession stored(String clientId, long disconnectedAt) {
        return new Recovered.StoredSession(clientId, Session.NEVER_EXPIRES, disconnectedAt, Map.of(), List.of(),
                Set.of(), null);
    }
}
