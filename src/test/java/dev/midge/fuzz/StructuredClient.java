package dev.midge.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption.RetainedHandlingPolicy;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.ByteArrayOutputStream;

/**
 * A client whose every choice comes from the fuzzer: protocol level, CONNECT flags and properties, then a
 * sequence of well-formed packets (PUBLISH with properties and topic aliases, SUBSCRIBE with options and
 * {@code $share} filters, acknowledgements with any packet id, AUTH, DISCONNECT), now and then raw bytes, and
 * now and then a second connection with the same client id taking the session over.
 */
final class StructuredClient {

    private static final int MAX_PACKETS = 64;
    private static final int MAX_CONNECTIONS = 4;
    private static final String[] TOPICS = {"a", "a/b", "a/b/c", "+", "#", "a/+", "+/b", "a/#", "$SYS/x",
        "$share/g/a", "$share/g/#", "$share/h/a/+", "$share//a", "$share/g", "", "/", "a//b", "a/#/b", "a+"};
    private static final String METHOD = FuzzChallenge.METHOD;

    private final FuzzedDataProvider data;
    private final FuzzRun run;

    StructuredClient(FuzzedDataProvider data, FuzzRun run) {
        this.data = data;
        this.run = run;
    }

    void play() {
        for (int i = 0; i < MAX_CONNECTIONS && data.remainingBytes() > 0; i++) {
            connectAndSend();
        }
    }

    private void connectAndSend() {
        MqttVersion version = data.pickValue(new MqttVersion[] {MqttVersion.MQTT_5, MqttVersion.MQTT_3_1_1,
            MqttVersion.MQTT_3_1});
        boolean v5 = version == MqttVersion.MQTT_5;
        PacketEncoder encoder = new PacketEncoder(version);
        FuzzedConnection connection = run.open(false);
        // Packets go out in reads of one or more, so that some arrive while the session is still attaching.
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] connect = encoder.encode(connect(version));
        if (connect == null) {
            return; // a CONNECT the encoder refuses (an empty MQTT 3.1 client id): the raw target covers those
        }
        read.writeBytes(connect);
        for (int i = 0; i < MAX_PACKETS && data.remainingBytes() > 0; i++) {
            if (data.consumeInt(0, 15) == 0) {
                break; // next connection, this one left open: a takeover if the client id is the same
            }
            byte[] bytes = data.consumeInt(0, 31) == 0 ? data.consumeBytes(data.consumeInt(1, 64))
                    : encoded(encoder, v5);
            if (bytes != null) {
                read.writeBytes(bytes);
            }
            if (data.consumeBoolean()) {
                if (!send(connection, read)) {
                    return;
                }
                run.checkBounds();
            }
        }
        send(connection, read);
    }

    /** The next packet's bytes, or null for one Netty will not build (packet id 0): the raw targets send those. */
    private byte[] encoded(PacketEncoder encoder, boolean v5) {
        try {
            return encoder.encode(packet(v5));
        } catch (IllegalArgumentException refused) {
            return null;
        }
    }

    /** Sends what the read holds, if anything; false once the connection is closed. */
    private static boolean send(FuzzedConnection connection, ByteArrayOutputStream read) {
        if (read.size() == 0) {
            return connection.isOpen();
        }
        byte[] bytes = read.toByteArray();
        read.reset();
        return connection.feed(bytes);
    }

    private MqttMessage connect(MqttVersion version) {
        MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect()
                .protocolVersion(version)
                .clientId(data.pickValue(new String[] {"c1", "c2", ""}))
                .cleanSession(data.consumeBoolean())
                .keepAlive(data.consumeInt(0, 65_535));
        if (data.consumeBoolean()) {
            connect.willFlag(true).willQoS(qos()).willRetain(data.consumeBoolean()).willTopic(topic())
                    .willMessage(data.consumeBytes(16)).willProperties(willProperties(version));
        }
        if (data.consumeBoolean()) {
            connect.hasUser(true).username(data.consumeString(8));
        }
        if (data.consumeBoolean()) {
            connect.hasPassword(true).password(data.consumeBytes(8));
        }
        if (version == MqttVersion.MQTT_5) {
            MqttProperties properties = new MqttProperties();
            for (int i = data.consumeInt(0, 4); i > 0; i--) {
                properties.add(switch (data.consumeInt(0, 7)) {
                    case 0 -> new IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), data.consumeInt());
                    case 1 -> new IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), data.consumeInt(0, 70_000));
                    case 2 -> new IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), data.consumeInt());
                    case 3 -> new IntegerProperty(MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(), data.consumeInt(0, 70_000));
                    case 4 -> new IntegerProperty(MqttPropertyType.REQUEST_PROBLEM_INFORMATION.value(), data.consumeInt(0, 2));
                    case 5 -> new StringProperty(MqttPropertyType.AUTHENTICATION_METHOD.value(),
                            data.consumeBoolean() ? METHOD : data.consumeString(8));
                    case 6 -> new BinaryProperty(MqttPropertyType.AUTHENTICATION_DATA.value(),
                            data.consumeBoolean() ? "hello".getBytes() : data.consumeBytes(8));
                    default -> new UserProperty(data.consumeString(8), data.consumeString(8));
                });
            }
            connect.properties(properties);
        }
        return connect.build();
    }

    private MqttProperties willProperties(MqttVersion version) {
        MqttProperties properties = new MqttProperties();
        if (version == MqttVersion.MQTT_5 && data.consumeBoolean()) {
            properties.add(new IntegerProperty(MqttPropertyType.WILL_DELAY_INTERVAL.value(), data.consumeInt()));
        }
        return properties;
    }

    private MqttMessage packet(boolean v5) {
        return switch (data.consumeInt(0, 11)) {
            case 0, 1, 2 -> publish(v5);
            case 3, 4 -> subscribe(v5);
            case 5 -> MqttMessageBuilders.unsubscribe().messageId(packetId()).addTopicFilter(topic())
                    .properties(v5 && data.consumeBoolean() ? userProperties() : MqttProperties.NO_PROPERTIES)
                    .build();
            case 6 -> reply(data.pickValue(new MqttMessageType[] {MqttMessageType.PUBACK, MqttMessageType.PUBREC,
                MqttMessageType.PUBREL, MqttMessageType.PUBCOMP}), v5);
            case 7 -> MqttMessage.PINGREQ;
            case 8 -> MqttMessageBuilders.disconnect().reasonCode((byte) data.consumeInt(0, 0xA2))
                    .properties(sessionExpiry()).build();
            case 9 -> auth();
            case 10 -> connect(v5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1);
            default -> new MqttMessage(new MqttFixedHeader(
                    data.pickValue(MqttMessageType.values()), false, MqttQoS.AT_MOST_ONCE, false, 0));
        };
    }

    private MqttMessage publish(boolean v5) {
        MqttQoS qos = qos();
        MqttProperties properties = new MqttProperties();
        if (v5) {
            for (int i = data.consumeInt(0, 4); i > 0; i--) {
                properties.add(switch (data.consumeInt(0, 7)) {
                    case 0 -> new IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), data.consumeInt(0, 12));
                    case 1 -> new IntegerProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), data.consumeInt(0, 2));
                    case 2 -> new IntegerProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), data.consumeInt());
                    case 3 -> new StringProperty(MqttPropertyType.CONTENT_TYPE.value(), data.consumeString(8));
                    case 4 -> new StringProperty(MqttPropertyType.RESPONSE_TOPIC.value(), topic());
                    case 5 -> new BinaryProperty(MqttPropertyType.CORRELATION_DATA.value(), data.consumeBytes(8));
                    case 6 -> new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), data.consumeInt(0, 3));
                    default -> new UserProperty(data.consumeString(8), data.consumeString(8));
                });
            }
        }
        return MqttMessageBuilders.publish()
                .topicName(data.consumeInt(0, 7) == 0 ? "" : topic())
                .qos(qos)
                .retained(data.consumeBoolean())
                .messageId(qos == MqttQoS.AT_MOST_ONCE ? 0 : packetId())
                .properties(properties)
                .payload(Unpooled.wrappedBuffer(data.consumeBytes(data.consumeInt(0, 64))))
                .build();
    }

    private MqttMessage subscribe(boolean v5) {
        MqttMessageBuilders.SubscribeBuilder subscribe = MqttMessageBuilders.subscribe().messageId(packetId());
        for (int i = data.consumeInt(1, 4); i > 0; i--) {
            subscribe.addSubscription(topic(), new MqttSubscriptionOption(qos(), data.consumeBoolean(),
                    data.consumeBoolean(), data.pickValue(RetainedHandlingPolicy.values())));
        }
        if (v5 && data.consumeBoolean()) {
            MqttProperties properties = new MqttProperties();
            properties.add(new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(),
                    data.consumeInt(0, 270_000_000)));
            subscribe.properties(properties);
        }
        return subscribe.build();
    }

    private MqttMessage reply(MqttMessageType type, boolean v5) {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        MqttFixedHeader header = new MqttFixedHeader(type, false, qos, false, 0);
        if (v5 && data.consumeBoolean()) {
            return new MqttMessage(header, new MqttPubReplyMessageVariableHeader(packetId(),
                    (byte) data.consumeInt(0, 0x97), MqttProperties.NO_PROPERTIES));
        }
        return new MqttMessage(header, MqttMessageIdVariableHeader.from(packetId()));
    }

    private MqttMessage auth() {
        MqttProperties properties = new MqttProperties();
        if (data.consumeBoolean()) {
            properties.add(new StringProperty(MqttPropertyType.AUTHENTICATION_METHOD.value(),
                    data.consumeBoolean() ? METHOD : data.consumeString(8)));
        }
        if (data.consumeBoolean()) {
            properties.add(new BinaryProperty(MqttPropertyType.AUTHENTICATION_DATA.value(),
                    data.consumeBoolean() ? "nonce-1-signed".getBytes() : data.consumeBytes(8)));
        }
        return MqttMessageBuilders.auth().reasonCode((byte) data.pickValue(new int[] {0x00, 0x18, 0x19, 0x7F}))
                .properties(properties).build();
    }

    private MqttProperties sessionExpiry() {
        MqttProperties properties = new MqttProperties();
        if (data.consumeBoolean()) {
            properties.add(new IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), data.consumeInt()));
        }
        return properties;
    }

    private MqttProperties userProperties() {
        MqttProperties properties = new MqttProperties();
        properties.add(new UserProperty(data.consumeString(8), data.consumeString(8)));
        return properties;
    }

    private String topic() {
        return data.consumeInt(0, 7) == 0 ? data.consumeString(16) : data.pickValue(TOPICS);
    }

    private MqttQoS qos() {
        return data.pickValue(new MqttQoS[] {MqttQoS.AT_MOST_ONCE, MqttQoS.AT_LEAST_ONCE, MqttQoS.EXACTLY_ONCE});
    }

    /** Netty's builders refuse packet id 0; rawBytes and the after-CONNECT targets send it. */
    private int packetId() {
        return data.consumeInt(0, 8) == 0 ? data.consumeInt(1, 65_535) : data.consumeInt(1, 4);
    }
}
