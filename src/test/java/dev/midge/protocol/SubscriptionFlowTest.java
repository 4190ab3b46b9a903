package dev.midge.protocol;

import static dev.midge.protocol.ConnectionHarness.FORBIDDEN;
import static dev.midge.protocol.ConnectionHarness.reasonCode;
import static dev.midge.protocol.ConnectionHarness.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SUBSCRIBE and UNSUBSCRIBE return codes on MQTT 3.1.1 and 5. */
class SubscriptionFlowTest {

    private final ConnectionHarness broker = new ConnectionHarness();

    private static MqttMessage subscribeThree() {
        return MqttMessageBuilders.subscribe().messageId(5)
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "a/#")
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "a/#/b")
                .addSubscription(MqttQoS.EXACTLY_ONCE, FORBIDDEN + "x")
                .build();
    }

    private static List<Integer> codes(MqttMessage subAck) {
        assertEquals(5, ConnectionHarness.packetId(subAck));
        return assertInstanceOf(MqttSubAckMessage.class, subAck).payload().reasonCodes();
    }

    @Test
    void mqtt311RefusesAnInvalidAndAForbiddenFilterWith0x80() {
        EmbeddedChannel channel = broker.connected(MqttVersion.MQTT_3_1_1, "s3");
        assertEquals(List.of(1, 0x80, 0x80), codes(send(channel, subscribeThree())));
        assertTrue(broker.sessionLoop("s3").hasSubscription("a/#"));
        assertFalse(broker.sessionLoop("s3").hasSubscription("a/#/b"));
    }

    @Test
    void mqtt5SaysWhyEachFilterIsRefused() {
        EmbeddedChannel channel = broker.connected(MqttVersion.MQTT_5, "s5");
        assertEquals(List.of(1, 0x8F, 0x87), codes(send(channel, subscribeThree())));
    }

    @Test
    void mqtt5UnsubscribeSaysWhichFiltersHadASubscription() {
        EmbeddedChannel channel = broker.connected(MqttVersion.MQTT_5, "u5");
        send(channel, subscribeThree());
        MqttMessage unsubAck = send(channel, MqttMessageBuilders.unsubscribe().messageId(6)
                .addTopicFilter("a/#").addTopicFilter("never").build());
        assertEquals(6, ConnectionHarness.packetId(unsubAck));
        List<Short> codes = assertInstanceOf(MqttUnsubAckMessage.class, unsubAck).payload().unsubscribeReasonCodes();
        assertEquals(List.of((short) 0x00, (short) 0x11), codes);
        assertFalse(broker.sessionLoop("u5").hasSubscription("a/#"));
    }

    @Test
    void mqtt311UnsubAckHasNoReasonCodes() {
        EmbeddedChannel channel = broker.connected(MqttVersion.MQTT_3_1_1, "u3");
        send(channel, subscribeThree());
        MqttMessage unsubAck = send(channel, MqttMessageBuilders.unsubscribe().messageId(6)
                .addTopicFilter("a/#").build());
        assertEquals(MqttMessageType.UNSUBACK, unsubAck.fixedHeader().messageType());
        assertTrue(assertInstanceOf(MqttUnsubAckMessage.class, unsubAck).payload().unsubscribeReasonCodes()
                .isEmpty());
        assertFalse(broker.sessionLoop("u3").hasSubscription("a/#"));
    }

    @Test
    void noLocalOnASharedSubscriptionClosesWithProtocolError() {
        EmbeddedChannel channel = broker.connected(MqttVersion.MQTT_5, "shared");
        MqttSubscriptionOption noLocal = new MqttSubscriptionOption(MqttQoS.AT_LEAST_ONCE, true, false,
                MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE);
        MqttMessage disconnect = send(channel, MqttMessageBuilders.subscribe().messageId(7)
                .addSubscription("$share/g/a", noLocal).build());
        assertEquals(MqttMessageType.DISCONNECT, disconnect.fixedHeader().messageType());
        assertEquals(0x82, reasonCode(disconnect));
        assertFalse(channel.isActive());
    }

    @Test
    void subscriptionIdentifierZeroClosesWithProtocolError() {
        EmbeddedChannel channel = broker.connected(MqttVersion.MQTT_5, "sid");
        MqttProperties properties = new MqttProperties();
        properties.add(new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), 0));
        MqttMessage disconnect = send(channel, MqttMessageBuilders.subscribe().messageId(8)
                .addSubscription(MqttQoS.AT_MOST_ONCE, "a").properties(properties).build());
        assertEquals(0x82, reasonCode(disconnect));
        assertFalse(channel.isActive());
    }
}
