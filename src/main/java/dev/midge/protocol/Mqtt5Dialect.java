package dev.midge.protocol;

import dev.midge.config.MidgeConfig;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.TopicName;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * MQTT 5: reason codes on every acknowledgement and on DISCONNECT, properties, topic aliases, and the client's
 * Receive Maximum and Maximum Packet Size, which every packet sent to it respects.
 */
final class Mqtt5Dialect implements ProtocolDialect {

    private final MidgeConfig config;
    private final int serverMaxPacketSize;
    private int clientMaxPacketSize = PROTOCOL_MAX_PACKET_SIZE;
    private int clientReceiveMaximum = 65_535;
    private TopicAliases aliases;

    /** @param serverMaxPacketSize the largest packet the connection takes, announced in CONNACK */
    Mqtt5Dialect(MidgeConfig config, int serverMaxPacketSize) {
        this.config = config;
        this.serverMaxPacketSize = serverMaxPacketSize;
    }

    @Override
    public MqttVersion version() {
        return MqttVersion.MQTT_5;
    }

    @Override
    public String describe() {
        return "MQTT 5.0";
    }

    @Override
    public void connecting(MqttConnectMessage connect, Channel channel) {
        channel.attr(MqttConnection.MQTT5).set(true);
        Integer maxPacketSize = PropertyCodec.integer(connect.variableHeader().properties(),
                MqttPropertyType.MAXIMUM_PACKET_SIZE);
        clientMaxPacketSize = maxPacketSize == null || maxPacketSize == 0 ? PROTOCOL_MAX_PACKET_SIZE : maxPacketSize;
    }

    @Override
    public ConnectTerms connectTerms(MqttConnectMessage connect) throws ConnectRequest.Refused {
        MqttProperties properties = connect.variableHeader().properties();
        String method = PropertyCodec.string(properties, MqttPropertyType.AUTHENTICATION_METHOD);
        if (method == null && PropertyCodec.binary(properties, MqttPropertyType.AUTHENTICATION_DATA) != null) {
            throw new ConnectRequest.Refused(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR,
                    "Authentication Data without a method");
        }
        Integer expiry = PropertyCodec.integer(properties, MqttPropertyType.SESSION_EXPIRY_INTERVAL);
        Integer receiveMaximum = PropertyCodec.integer(properties, MqttPropertyType.RECEIVE_MAXIMUM);
        Integer maxPacketSize = PropertyCodec.integer(properties, MqttPropertyType.MAXIMUM_PACKET_SIZE);
        Integer aliasMaximum = PropertyCodec.integer(properties, MqttPropertyType.TOPIC_ALIAS_MAXIMUM);
        if ((receiveMaximum != null && receiveMaximum == 0) || (maxPacketSize != null && maxPacketSize == 0)) {
            throw new ConnectRequest.Refused(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR,
                    "Receive Maximum and Maximum Packet Size must not be 0");
        }
        MqttProperties willProperties = connect.variableHeader().isWillFlag()
                ? connect.payload().willProperties() : null;
        Integer willDelay = willProperties == null ? null
                : PropertyCodec.integer(willProperties, MqttPropertyType.WILL_DELAY_INTERVAL);
        return new ConnectTerms(method, expiry == null ? 0 : Integer.toUnsignedLong(expiry),
                receiveMaximum == null ? 65_535 : receiveMaximum,
                config.topicAlias().outbound() && aliasMaximum != null ? aliasMaximum : 0, willProperties,
                willDelay == null ? 0 : Integer.toUnsignedLong(willDelay));
    }

    @Override
    public boolean lowersKeepAlive() {
        return true;
    }

    @Override
    public boolean assignsClientId(boolean cleanSession) {
        return true;
    }

    @Override
    public MqttConnectReturnCode invalidWillTopic() {
        return MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID;
    }

    @Override
    public MqttConnectReturnCode retainNotSupported() {
        return MqttConnectReturnCode.CONNECTION_REFUSED_RETAIN_NOT_SUPPORTED;
    }

    /** Topic aliases and subscription identifiers differ from one client to the next. */
    @Override
    public boolean sharesQos0Packets() {
        return false;
    }

    @Override
    public void connected(ConnectRequest request) {
        clientReceiveMaximum = request.receiveMaximum();
        aliases = new TopicAliases(config.topicAlias().maximum(), request.topicAliasMaximum());
    }

    @Override
    public int receiveMaximum() {
        return clientReceiveMaximum;
    }

    @Override
    public MqttConnectReturnCode notAuthorized() {
        return MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5;
    }

    @Override
    public MqttConnectReturnCode badCredentials() {
        return MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD;
    }

    @Override
    public MqttConnectReturnCode serverUnavailable() {
        return MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5;
    }

    @Override
    public MqttConnectReturnCode connectionRateExceeded() {
        return MqttConnectReturnCode.CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED;
    }

    @Override
    public MqttConnectReturnCode banned() {
        return MqttConnectReturnCode.CONNECTION_REFUSED_BANNED;
    }

    @Override
    public MqttMessage refusal(MqttConnectReturnCode code, String reason) {
        return MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false)
                .properties(PropertyCodec.fitting(clientMaxPacketSize, 2, List.of(), reasonString(reason))).build();
    }

    @Override
    public MqttMessage connAck(boolean sessionPresent, ConnAckDetails details) {
        List<MqttProperty<?>> essential = new ArrayList<>(List.of(
                new IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), config.receiveMaximum()),
                new IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), serverMaxPacketSize)));
        if (details.serverKeepAlive() >= 0) {
            essential.add(new IntegerProperty(MqttPropertyType.SERVER_KEEP_ALIVE.value(), details.serverKeepAlive()));
        }
        if (details.idAssigned()) {
            essential.add(new StringProperty(MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), details.clientId()));
        }
        if (details.auth() != null) {
            for (MqttProperty<?> p : details.auth().listAll()) {
                essential.add(p);
            }
        }
        IntegerProperty retainAvailable = new IntegerProperty(MqttPropertyType.RETAIN_AVAILABLE.value(),
                details.retainAvailable() ? 1 : 0);
        if (!details.retainAvailable()) {
            essential.add(retainAvailable);
        }
        // Absent, these mean what they say here (1, or no aliases), so they go first when space is short.
        List<MqttProperty<?>> optional = new ArrayList<>(List.of(
                new IntegerProperty(MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(), config.topicAlias().maximum()),
                new IntegerProperty(MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE.value(), 1),
                new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE.value(), 1),
                new IntegerProperty(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 1)));
        if (details.retainAvailable()) {
            optional.add(1, retainAvailable);
        }
        return MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(sessionPresent)
                .properties(PropertyCodec.fitting(clientMaxPacketSize, 2, essential, optional)).build();
    }

    @Override
    public MqttMessage disconnect(byte reasonCode, String reason) {
        MqttProperties p = PropertyCodec.fitting(clientMaxPacketSize, 1, List.of(), reasonString(reason));
        return MqttMessageBuilders.disconnect().reasonCode(reasonCode).properties(p).build();
    }

    /** A Reason String property when {@code midge.reason-strings} is on; sent only where it fits. */
    private List<MqttProperty<?>> reasonString(String reason) {
        return config.reasonStrings() ? List.of(new StringProperty(MqttPropertyType.REASON_STRING.value(), reason))
                : List.of();
    }

    @Override
    public MqttMessage ack(MqttMessageType type, int packetId, byte reasonCode) {
        return new MqttMessage(Packets.ackHeader(type),
                new MqttPubReplyMessageVariableHeader(packetId, reasonCode, MqttProperties.NO_PROPERTIES));
    }

    @Override
    public int subscriptionRefused(byte reasonCode) {
        return reasonCode & 0xFF;
    }

    @Override
    public MqttUnsubAckPayload unsubAckPayload(short[] reasonCodes) {
        return new MqttUnsubAckPayload(reasonCodes);
    }

    @Override
    public int subscriptionIdentifier(MqttProperties properties) throws Violation {
        Integer id = PropertyCodec.integer(properties, MqttPropertyType.SUBSCRIPTION_IDENTIFIER);
        if (id != null && id == 0) {
            throw new Violation(ReasonCode.PROTOCOL_ERROR, "Subscription Identifier 0");
        }
        return id == null ? 0 : id;
    }

    @Override
    public String inboundTopic(MqttPublishVariableHeader variable) throws Violation {
        MqttProperties properties = variable.properties();
        String topic = variable.topicName();
        Integer alias = PropertyCodec.integer(properties, MqttPropertyType.TOPIC_ALIAS);
        if (alias != null) {
            if (!aliases.isValidInbound(alias)) {
                throw new Violation(ReasonCode.TOPIC_ALIAS_INVALID, "topic alias " + alias + " out of range");
            }
            topic = aliases.resolveInbound(alias, topic);
            if (topic == null) {
                throw new Violation(ReasonCode.PROTOCOL_ERROR, "unknown topic alias " + alias);
            }
        }
        if (!properties.getProperties(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value()).isEmpty()) {
            throw new Violation(ReasonCode.PROTOCOL_ERROR, "PUBLISH from a client with a Subscription Identifier");
        }
        String responseTopic = PropertyCodec.string(properties, MqttPropertyType.RESPONSE_TOPIC);
        if (responseTopic != null && !TopicName.isValid(responseTopic)) {
            throw new Violation(ReasonCode.PROTOCOL_ERROR, "invalid Response Topic");
        }
        return topic;
    }

    @Override
    public MqttProperties inboundProperties(MqttPublishVariableHeader variable) {
        return variable.properties();
    }

    @Override
    public int awaitingReleaseLimit() {
        return config.receiveMaximum();
    }

    @Override
    public MqttPublishMessage publish(Message message, Delivery delivery, int packetId, boolean duplicate) {
        long now = System.currentTimeMillis();
        String topic = message.topic();
        int alias = aliases.existingOutbound(topic);
        boolean newAlias = alias == 0 && aliases.canAssignOutbound();
        String sentTopic = alias > 0 ? "" : topic;
        int aliasForSize = alias > 0 || newAlias ? 1 : 0;
        int propertiesLength = PropertyCodec.encodedLength(message, delivery.subscriptionIds(), aliasForSize, now);
        int remaining = 2 + PropertyCodec.utf8Length(sentTopic) + (delivery.qos() > 0 ? 2 : 0)
                + PropertyCodec.variableByteIntegerLength(propertiesLength) + propertiesLength
                + message.payload().length;
        if (Packets.packetSize(remaining) > clientMaxPacketSize) {
            return null;
        }
        if (newAlias) {
            alias = aliases.assignOutbound(topic);
        }
        MqttFixedHeader header = Packets.publishHeader(delivery, duplicate);
        MqttProperties properties = PropertyCodec.write(message, delivery.subscriptionIds(), alias, now);
        return new MqttPublishMessage(header, new MqttPublishVariableHeader(sentTopic, packetId, properties),
                Unpooled.wrappedBuffer(message.payload()));
    }

    @Override
    public Integer disconnectExpiry(MqttMessage disconnect) {
        return disconnect.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header
                ? PropertyCodec.integer(header.properties(), MqttPropertyType.SESSION_EXPIRY_INTERVAL) : null;
    }

    @Override
    public boolean disconnectKeepsWill(MqttMessage disconnect) {
        return disconnect.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header
                && header.reasonCode() == 0x04;
    }
}
