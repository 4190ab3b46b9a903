package dev.midge.bridge;

import dev.midge.config.BridgeConfig;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The packets a bridge opens each connection with: its CONNECT, and the SUBSCRIBE of its {@code in} topics. */
final class BridgeHandshake {

    private BridgeHandshake() {
    }

    static MqttMessage connect(BridgeConfig config, String clientId) {
        MqttProperties properties = new MqttProperties();
        // Clean session 0 as in MQTT 3: the remote broker keeps the session until the bridge returns.
        properties.add(new MqttProperties.IntegerProperty(
                MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), config.cleanSession() ? 0 : -1));
        MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect().clientId(clientId)
                .protocolVersion(MqttVersion.MQTT_5).cleanSession(config.cleanSession())
                .keepAlive(config.keepalive()).properties(properties);
        config.username().ifPresent(u -> connect.hasUser(true).username(u));
        config.password().ifPresent(p -> connect.hasPassword(true).password(p.getBytes(StandardCharsets.UTF_8)));
        return connect.build();
    }

    /** The remote subscriptions, with No Local; null when no line carries messages in. */
    static MqttMessage subscribe(List<BridgeTopic> topics, int packetId) {
        MqttMessageBuilders.SubscribeBuilder subscribe = MqttMessageBuilders.subscribe().messageId(packetId);
        boolean any = false;
        for (BridgeTopic t : topics) {
            if (t.comesIn()) {
                subscribe.addSubscription(t.remoteFilter(), new MqttSubscriptionOption(MqttQoS.valueOf(t.qos()),
                        true, true, MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE));
                any = true;
            }
        }
        return any ? subscribe.build() : null;
    }
}
