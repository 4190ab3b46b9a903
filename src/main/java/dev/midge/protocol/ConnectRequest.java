package dev.midge.protocol;

import dev.midge.config.MidgeConfig;
import dev.midge.message.Message;
import dev.midge.message.TopicName;
import dev.midge.security.EnhancedAuthenticator;
import dev.midge.security.EnhancedAuthenticators;
import dev.midge.session.Session;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.UUID;

/**
 * A CONNECT packet read and checked, before the client is authenticated: what it asks for, in the broker's
 * terms, or the refusal its first problem earns.
 *
 * @param clientId the client's id, or one assigned to it ({@code idAssigned})
 * @param keepAlive the keepalive in seconds that applies, after {@code midge.max-keepalive}
 * @param serverKeepAlive the keepalive to tell an MQTT 5 client it must use, or -1 when it is its own
 * @param expiryInterval the session expiry interval in seconds; clean-session MQTT 3 clients have 0
 * @param receiveMaximum how many unacknowledged QoS 1/2 messages the client takes (MQTT 5; 65,535 otherwise)
 * @param topicAliasMaximum the client's Topic Alias Maximum, 0 when outbound aliases are off
 * @param will the will message, or null
 * @param willDelay the will delay interval in seconds
 * @param authMethod the MQTT 5 authentication method, or null
 * @param enhanced its authenticator, or null
 */
record ConnectRequest(String clientId, boolean idAssigned, int keepAlive, int serverKeepAlive, long expiryInterval,
        int receiveMaximum, int topicAliasMaximum, Message will, long willDelay, String authMethod,
        EnhancedAuthenticator enhanced, String username, byte[] password) {

    /** A CONNECT refused with a CONNACK carrying {@code code}, or, when it is null, by closing the connection. */
    static final class Refused extends Exception {
        private final transient MqttConnectReturnCode code;

        Refused(MqttConnectReturnCode code, String reason) {
            super(reason, null, false, false);
            this.code = code;
        }

        MqttConnectReturnCode code() {
            return code;
        }
    }

    /** Reads the packet of a client speaking {@code version}; checks in the order MQTT lists them. */
    static ConnectRequest read(MqttConnectMessage connect, MqttVersion version, MidgeConfig config,
            EnhancedAuthenticators authenticators) throws Refused {
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttProperties properties = header.properties();
        boolean v5 = version == MqttVersion.MQTT_5;
        if (header.hasPassword() && !header.hasUserName() && !v5) {
            throw new Refused(null, "password without user name");
        }
        String method = authMethod(properties, v5);
        EnhancedAuthenticator enhanced = method == null ? null : authenticators.find(method);
        if (method != null && enhanced == null) {
            throw new Refused(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD,
                    "authentication method " + method + " is not offered");
        }
        int keepAlive = header.keepAliveTimeSeconds();
        int serverKeepAlive = -1;
        if (config.maxKeepalive().isPresent()) {
            int max = config.maxKeepalive().getAsInt();
            if (keepAlive == 0 || keepAlive > max) {
                if (!v5) {
                    throw new Refused(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                            "keepalive " + keepAlive + " above midge.max-keepalive=" + max);
                }
                keepAlive = max;
                serverKeepAlive = max;
            }
        }
        String id = connect.payload().clientIdentifier();
        boolean assigned = false;
        if (id == null || id.isEmpty()) {
            if (version == MqttVersion.MQTT_3_1 || (!v5 && !header.isCleanSession())) {
                throw new Refused(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "empty client id");
            }
            id = "auto-" + UUID.randomUUID();
            assigned = true;
        }
        long expiryInterval = header.isCleanSession() ? 0 : Session.NEVER_EXPIRES;
        int receiveMaximum = 65_535;
        int topicAliasMaximum = 0;
        if (v5) {
            Integer expiry = PropertyCodec.integer(properties, MqttPropertyType.SESSION_EXPIRY_INTERVAL);
            expiryInterval = expiry == null ? 0 : Integer.toUnsignedLong(expiry);
            Integer clientReceiveMaximum = PropertyCodec.integer(properties, MqttPropertyType.RECEIVE_MAXIMUM);
            Integer maxPacketSize = PropertyCodec.integer(properties, MqttPropertyType.MAXIMUM_PACKET_SIZE);
            Integer aliasMaximum = PropertyCodec.integer(properties, MqttPropertyType.TOPIC_ALIAS_MAXIMUM);
            if ((clientReceiveMaximum != null && clientReceiveMaximum == 0)
                    || (maxPacketSize != null && maxPacketSize == 0)) {
                throw new Refused(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR,
                        "Receive Maximum and Maximum Packet Size must not be 0");
            }
            receiveMaximum = clientReceiveMaximum == null ? 65_535 : clientReceiveMaximum;
            topicAliasMaximum = config.topicAlias().outbound() && aliasMaximum != null ? aliasMaximum : 0;
        }
        Message will = header.isWillFlag() ? will(connect, v5, config, id) : null;
        long willDelay = will == null ? 0 : willDelay(connect, v5);
        String username = header.hasUserName() ? connect.payload().userName() : null;
        byte[] password = header.hasPassword() ? connect.payload().passwordInBytes() : null;
        return new ConnectRequest(id, assigned, keepAlive, serverKeepAlive, expiryInterval, receiveMaximum,
                topicAliasMaximum, will, willDelay, method, enhanced, username, password);
    }

    /** The MQTT 5 authentication method, or null. */
    private static String authMethod(MqttProperties properties, boolean v5) throws Refused {
        String method = v5 ? PropertyCodec.string(properties, MqttPropertyType.AUTHENTICATION_METHOD) : null;
        if (method == null && v5 && PropertyCodec.binary(properties, MqttPropertyType.AUTHENTICATION_DATA) != null) {
            throw new Refused(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR,
                    "Authentication Data without a method");
        }
        return method;
    }

    private static Message will(MqttConnectMessage connect, boolean v5, MidgeConfig config, String clientId)
            throws Refused {
        MqttConnectVariableHeader header = connect.variableHeader();
        String willTopic = connect.payload().willTopic();
        TopicName willTopicName = TopicName.parseOrNull(willTopic, config.maxTopicLevels());
        if (willTopicName == null) {
            throw new Refused(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID : null,
                    "invalid will topic");
        }
        MqttProperties willProperties = connect.payload().willProperties();
        if (v5 && willProperties.getProperties(MqttPropertyType.USER_PROPERTY.value()).size()
                > config.maxUserProperties()) {
            // Kept with the session until the will is published: the same limit as for a PUBLISH.
            throw new Refused(MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED,
                    "will with more than midge.max-user-properties=" + config.maxUserProperties()
                            + " user properties");
        }
        return InboundPublishFlow.newMessage(willTopicName, connect.payload().willMessageInBytes(), header.willQos(),
                header.isWillRetain(), v5 ? willProperties : null, clientId);
    }

    private static long willDelay(MqttConnectMessage connect, boolean v5) {
        Integer delay = v5 ? PropertyCodec.integer(connect.payload().willProperties(),
                MqttPropertyType.WILL_DELAY_INTERVAL) : null;
        return delay == null ? 0 : Integer.toUnsignedLong(delay);
    }
}
