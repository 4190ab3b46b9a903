package dev.midge.protocol;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.session.Session;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttVersion;

/**
 * MQTT 3.1 and 3.1.1: no properties, no reason codes beyond the CONNACK's and SUBACK's, and nothing sent when
 * the broker closes a connection.
 */
final class Mqtt3Dialect implements ProtocolDialect {

    static final Mqtt3Dialect MQTT_3_1 = new Mqtt3Dialect(MqttVersion.MQTT_3_1);
    static final Mqtt3Dialect MQTT_3_1_1 = new Mqtt3Dialect(MqttVersion.MQTT_3_1_1);

    private final MqttVersion version;

    /** Holds nothing of a connection, so one of each level serves them all. */
    private Mqtt3Dialect(MqttVersion version) {
        this.version = version;
    }

    @Override
    public MqttVersion version() {
        return version;
    }

    @Override
    public String describe() {
        return version == MqttVersion.MQTT_3_1 ? "MQTT 3.1" : "MQTT 3.1.1";
    }

    @Override
    public void connecting(MqttConnectMessage connect, Channel channel) {
        // Nothing to read before the checks.
    }

    @Override
    public ConnectTerms connectTerms(MqttConnectMessage connect) throws ConnectRequest.Refused {
        MqttConnectVariableHeader header = connect.variableHeader();
        if (header.hasPassword() && !header.hasUserName()) {
            throw new ConnectRequest.Refused(null, "password without user name");
        }
        long expiry = header.isCleanSession() ? 0 : Session.NEVER_EXPIRES;
        return new ConnectTerms(null, expiry, 65_535, 0, null, 0);
    }

    @Override
    public boolean lowersKeepAlive() {
        return false;
    }

    @Override
    public boolean assignsClientId(boolean cleanSession) {
        return version == MqttVersion.MQTT_3_1_1 && cleanSession;
    }

    @Override
    public MqttConnectReturnCode invalidWillTopic() {
        return null;
    }

    @Override
    public MqttConnectReturnCode retainNotSupported() {
        return null;
    }

    @Override
    public boolean sharesQos0Packets() {
        return true;
    }

    @Override
    public void connected(ConnectRequest request) {
        // No limits or aliases to take from the CONNECT.
    }

    @Override
    public int receiveMaximum() {
        return 65_535;
    }

    @Override
    public MqttConnectReturnCode notAuthorized() {
        return MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
    }

    @Override
    public MqttConnectReturnCode badCredentials() {
        return MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
    }

    @Override
    public MqttConnectReturnCode serverUnavailable() {
        return MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
    }

    @Override
    public MqttConnectReturnCode connectionRateExceeded() {
        return MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
    }

    @Override
    public MqttConnectReturnCode banned() {
        return MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
    }

    @Override
    public MqttMessage refusal(MqttConnectReturnCode code, String reason) {
        return MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build();
    }

    @Override
    public MqttMessage connAck(boolean sessionPresent, ConnAckDetails details) {
        return MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(sessionPresent).build();
    }

    @Override
    public MqttMessage disconnect(byte reasonCode, String reason) {
        return null;
    }

    @Override
    public MqttMessage ack(MqttMessageType type, int packetId, byte reasonCode) {
        return new MqttMessage(Packets.ackHeader(type), MqttMessageIdVariableHeader.from(packetId));
    }

    @Override
    public int subscriptionRefused(byte reasonCode) {
        return MqttQoS.FAILURE.value();
    }

    @Override
    public MqttUnsubAckPayload unsubAckPayload(short[] reasonCodes) {
        return null;
    }

    @Override
    public int subscriptionIdentifier(MqttProperties properties) {
        return 0;
    }

    @Override
    public String inboundTopic(MqttPublishVariableHeader variable) {
        return variable.topicName();
    }

    @Override
    public MqttProperties inboundProperties(MqttPublishVariableHeader variable) {
        return null;
    }

    @Override
    public int awaitingReleaseLimit() {
        return Integer.MAX_VALUE;
    }

    @Override
    public MqttPublishMessage publish(Message message, Delivery delivery, int packetId, boolean duplicate) {
        MqttFixedHeader header = Packets.publishHeader(delivery, duplicate);
        return new MqttPublishMessage(header, new MqttPublishVariableHeader(message.topic(), packetId),
                Unpooled.wrappedBuffer(message.payload()));
    }

    @Override
    public Integer disconnectExpiry(MqttMessage disconnect) {
        return null;
    }

    @Override
    public boolean disconnectKeepsWill(MqttMessage disconnect) {
        return false;
    }
}
