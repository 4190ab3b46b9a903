package dev.midge.protocol;

import dev.midge.message.Message;
import dev.midge.message.MessageProperties;
import dev.midge.message.MessageProperties.UserProperty;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * MQTT 5 properties: converts those of a PUBLISH (or will) to the broker's own and back, and sizes properties
 * so that a packet fits the client's limit.
 */
final class PropertyCodec {

    private PropertyCodec() {
    }

    /** The pass-through properties of an incoming PUBLISH or will. */
    static MessageProperties read(MqttProperties properties) {
        if (properties == null || properties.isEmpty()) {
            return MessageProperties.NONE;
        }
        List<UserProperty> user = new ArrayList<>();
        for (MqttProperty<?> p : properties.getProperties(MqttPropertyType.USER_PROPERTY.value())) {
            if (p instanceof MqttProperties.UserProperty u) {
                user.add(new UserProperty(u.value().key, u.value().value));
            } else if (p instanceof MqttProperties.UserProperties all) {
                all.value().forEach(pair -> user.add(new UserProperty(pair.key, pair.value)));
            }
        }
        return new MessageProperties(integer(properties, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR),
                string(properties, MqttPropertyType.CONTENT_TYPE),
                string(properties, MqttPropertyType.RESPONSE_TOPIC),
                binary(properties, MqttPropertyType.CORRELATION_DATA), user);
    }

    /** The properties of an outgoing PUBLISH, for a client speaking MQTT 5. */
    static MqttProperties write(Message message, int[] subscriptionIds, int topicAlias, long nowMillis) {
        MessageProperties p = message.properties();
        MqttProperties out = new MqttProperties();
        if (p.payloadFormat() != null) {
            out.add(new IntegerProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), p.payloadFormat()));
        }
        long expiry = message.remainingExpirySeconds(nowMillis);
        if (expiry >= 0) {
            out.add(new IntegerProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), (int) expiry));
        }
        if (p.contentType() != null) {
            out.add(new StringProperty(MqttPropertyType.CONTENT_TYPE.value(), p.contentType()));
        }
        if (p.responseTopic() != null) {
            out.add(new StringProperty(MqttPropertyType.RESPONSE_TOPIC.value(), p.responseTopic()));
        }
        if (p.correlationData() != null) {
            out.add(new BinaryProperty(MqttPropertyType.CORRELATION_DATA.value(), p.correlationData()));
        }
        for (UserProperty u : p.userProperties()) {
            out.add(new MqttProperties.UserProperty(u.name(), u.value()));
        }
        for (int id : subscriptionIds) {
            out.add(new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), id));
        }
        if (topicAlias > 0) {
            out.add(new IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), topicAlias));
        }
        return out;
    }

    /** Bytes the properties of {@link #write} take on the wire, without their own length prefix. */
    static int encodedLength(Message message, int[] subscriptionIds, int topicAlias, long nowMillis) {
        MessageProperties p = message.properties();
        int length = 0;
        if (p.payloadFormat() != null) {
            length += 2;
        }
        if (message.remainingExpirySeconds(nowMillis) >= 0) {
            length += 5;
        }
        length += stringLength(p.contentType()) + stringLength(p.responseTopic());
        if (p.correlationData() != null) {
            length += 3 + p.correlationData().length;
        }
        for (UserProperty u : p.userProperties()) {
            length += 1 + utf8Length(u.name()) + 2 + utf8Length(u.value()) + 2;
        }
        for (int id : subscriptionIds) {
            length += 1 + variableByteIntegerLength(id);
        }
        if (topicAlias > 0) {
            length += 3;
        }
        return length;
    }

    /**
     * Properties for a packet that must fit the client's Maximum Packet Size: all the essential ones, then as
     * many of the optional ones, in order, as still fit.
     *
     * @param fixedRemaining the packet's remaining length without its properties and their length prefix
     */
    static MqttProperties fitting(int maxPacketSize, int fixedRemaining, List<MqttProperty<?>> essential,
            List<MqttProperty<?>> optional) {
        MqttProperties out = new MqttProperties();
        int length = 0;
        for (MqttProperty<?> p : essential) {
            out.add(p);
            length += size(p);
        }
        for (MqttProperty<?> p : optional) {
            int next = length + size(p);
            int remaining = fixedRemaining + variableByteIntegerLength(next) + next;
            if (1 + variableByteIntegerLength(remaining) + remaining <= maxPacketSize) {
                out.add(p);
                length = next;
            }
        }
        return out;
    }

    /** Bytes one property takes on the wire, identifier included. */
    static int size(MqttProperty<?> p) {
        if (p instanceof MqttProperties.UserProperty u) {
            return 1 + 2 + utf8Length(u.value().key) + 2 + utf8Length(u.value().value);
        }
        if (p instanceof StringProperty s) {
            return 3 + utf8Length(s.value());
        }
        if (p instanceof BinaryProperty b) {
            return 3 + b.value().length;
        }
        int id = p.propertyId();
        return switch (id) {
            case 0x0B -> 1 + variableByteIntegerLength((Integer) p.value());
            case 0x13, 0x21, 0x22, 0x23 -> 3;
            case 0x02, 0x11, 0x18, 0x27 -> 5;
            default -> 2;
        };
    }

    static int variableByteIntegerLength(int value) {
        int bytes = 1;
        for (int rest = value >>> 7; rest > 0; rest >>>= 7) {
            bytes++;
        }
        return bytes;
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static int stringLength(String s) {
        return s == null ? 0 : 3 + utf8Length(s);
    }

    static Integer integer(MqttProperties properties, MqttPropertyType type) {
        MqttProperty<?> p = properties.getProperty(type.value());
        return p == null ? null : (Integer) p.value();
    }

    static String string(MqttProperties properties, MqttPropertyType type) {
        MqttProperty<?> p = properties.getProperty(type.value());
        return p == null ? null : (String) p.value();
    }

    static byte[] binary(MqttProperties properties, MqttPropertyType type) {
        MqttProperty<?> p = properties.getProperty(type.value());
        return p == null ? null : (byte[]) p.value();
    }
}
