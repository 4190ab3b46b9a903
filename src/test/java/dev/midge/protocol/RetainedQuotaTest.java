package dev.midge.protocol;

import static dev.midge.protocol.ConnectionHarness.reasonCode;
import static dev.midge.protocol.ConnectionHarness.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.midge.config.MidgeConfig;
import dev.midge.limits.LimitKind;
import dev.midge.limits.Limits;
import dev.midge.limits.LimitsSettings;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** midge.limits.max-retained-per-client: a client owns at most that many retained messages, those it set last. */
class RetainedQuotaTest {

    private final MidgeConfig config = LimitsSettings.config(Map.of("midge.persistence.enabled", "false",
            "midge.limits.max-retained-per-client", "2"));
    private final Limits limits = new Limits(config.limits(), System::nanoTime);
    private final ConnectionHarness broker = new ConnectionHarness(config, limits);

    private static MqttPublishMessage retained(String topic, String payload, int qos, int packetId) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.valueOf(qos),
                true, 0), new MqttPublishVariableHeader(topic, packetId, MqttProperties.NO_PROPERTIES),
                Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8)));
    }

    private int retainedCount() {
        return broker.router().retained().size();
    }

    @Test
    void mqtt5HearsQuotaExceededAndTheMessageIsNotRetained() {
        EmbeddedChannel client = broker.connected(MqttVersion.MQTT_5, "owner");
        assertEquals(0x00, reasonCode(send(client, retained("r/a", "1", 1, 1))));
        assertEquals(0x00, reasonCode(send(client, retained("r/b", "1", 1, 2))));
        assertEquals(0x97, reasonCode(send(client, retained("r/c", "1", 1, 3))), "a third: Quota exceeded");
        MqttMessage pubRec = send(client, retained("r/c", "1", 2, 4));
        assertEquals(MqttMessageType.PUBREC, pubRec.fixedHeader().messageType());
        assertEquals(0x97, reasonCode(pubRec));
        assertEquals(2, retainedCount());
        assertEquals(2, limits.counters().count(LimitKind.MAX_RETAINED_PER_CLIENT));

        assertEquals(0x00, reasonCode(send(client, retained("r/a", "2", 1, 5))), "replacing its own");
        assertEquals(0x00, reasonCode(send(client, retained("r/b", "", 1, 6))), "clearing its own");
        assertEquals(0x00, reasonCode(send(client, retained("r/c", "1", 1, 7))), "room again");
        assertEquals(2, retainedCount());
    }

    @Test
    void mqtt311IsAcknowledgedAndTheMessageDropped() {
        EmbeddedChannel client = broker.connected(MqttVersion.MQTT_3_1_1, "owner");
        send(client, retained("r/a", "1", 1, 1));
        send(client, retained("r/b", "1", 1, 2));
        MqttMessage ack = send(client, retained("r/c", "1", 1, 3));
        assertEquals(MqttMessageType.PUBACK, ack.fixedHeader().messageType());
        assertFalse(ack.variableHeader() instanceof MqttPubReplyMessageVariableHeader);
        assertEquals(2, retainedCount());
    }

    @Test
    void aTopicSetByAnotherClientIsNoLongerOwned() {
        EmbeddedChannel first = broker.connected(MqttVersion.MQTT_5, "first");
        EmbeddedChannel second = broker.connected(MqttVersion.MQTT_5, "second");
        send(first, retained("r/a", "1", 1, 1));
        send(first, retained("r/b", "1", 1, 2));
        assertEquals(0x00, reasonCode(send(second, retained("r/a", "2", 1, 1))), "second owns r/a now");
        assertEquals(0x00, reasonCode(send(first, retained("r/c", "1", 1, 3))), "first owns only r/b");
        assertEquals(0x97, reasonCode(send(first, retained("r/a", "3", 1, 4))), "not its own any more");
        assertEquals(3, retainedCount());
    }
}
