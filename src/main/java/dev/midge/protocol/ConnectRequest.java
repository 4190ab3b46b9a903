package dev.midge.protocol;

import dev.midge.config.MidgeConfig;
import dev.midge.message.Message;
import dev.midge.message.TopicName;
import dev.midge.security.EnhancedAuthenticator;
import dev.midge.security.EnhancedAuthenticators;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import java.util.OptionalInt;
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

    /**
     * Reads the packet of a client speaking {@code dialect}'s version; checks in the order MQTT lists them.
     *
     * @param maxKeepalive {@code midge.max-keepalive} as it is now
     * @param retainAvailable {@code midge.retain-available} as the connection opened
     */
    static ConnectRequest read(MqttConnectMessage connect, ProtocolDialect dialect, MidgeConfig config,
            OptionalInt maxKeepalive, boolean retainAvailable, EnhancedAuthenticators authenticators)
            throws Refused {
        MqttConnectVariableHeader header = connect.variableHeader();
        ConnectTerms terms = dialect.connectTerms(connect);
        String method = terms.authMethod();
        EnhancedAuthenticator enhanced = method == null ? null : authenticators.find(method);
        if (method != null && enhanced == null) {
            throw new Refused(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD,
                    "authentication method " + method + " is not offered");
        }
        int keepAlive = header.keepAliveTimeSeconds();
        int serverKeepAlive = -1;
        if (maxKeepalive.isPresent()) {
            int max = maxKeepalive.getAsInt();
            if (keepAlive == 0 || keepAlive > max) {
                if (!dialect.lowersKeepAlive()) {
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
            if (!dialect.assignsClientId(header.isCleanSession())) {
                throw new Refused(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "empty client id");
            }
            id = "auto-" + UUID.randomUUID();
            assigned = true;
        }
        Message will = header.isWillFlag() ? will(connect, dialect, terms, config, retainAvailable, id) : null;
        String username = header.hasUserName() ? connect.payload().userName() : null;
        byte[] password = header.hasPassword() ? connect.payload().passwordInBytes() : null;
        return new ConnectRequest(id, assigned, keepAlive, serverKeepAlive, terms.expiryInterval(),
                terms.receiveMaximum(), terms.topicAliasMaximum(), will, will == null ? 0 : terms.willDelay(), method,
                enhanced, username, password);
    }

    private static Message will(MqttConnectMessage connect, ProtocolDialect dialect, ConnectTerms terms,
            MidgeConfig config, boolean retainAvailable, String clientId) throws Refused {
        MqttConnectVariableHeader header = connect.variableHeader();
        String willTopic = connect.payload().willTopic();
        TopicName willTopicName = TopicName.parseOrNull(willTopic, config.maxTopicLevels());
        if (willTopicName == null) {
            throw new Refused(dialect.invalidWillTopic(), "invalid will topic");
        }
        if (header.isWillRetain() && !retainAvailable) {
            throw new Refused(dialect.retainNotSupported(), "retained will while midge.retain-available=false");
        }
        MqttProperties willProperties = terms.willProperties();
        if (willProperties != null && willProperties.getProperties(MqttPropertyType.USER_PROPERTY.value()).size()
                > config.maxUserProperties()) {
            // Kept with the session until the will is published: the same limit as for a PUBLISH.
            throw new Refused(MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED,
                    "will with more than midge.max-user-properties=" + config.maxUserProperties()
                            + " user properties");
        }
        return InboundPublishFlow.newMessage(willTopicName, connect.payload().willMessageInBytes(), header.willQos(),
                header.isWillRetain(), willProperties, clientId);
    }
}
