package dev.midge.protocol;

import dev.midge.config.MidgeConfig;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttVersion;

/**
 * What differs between MQTT 3.1/3.1.1 and MQTT 5 on one connection: reason codes, properties, and what is sent
 * when the broker says no. Chosen once, when the CONNECT is read; the flows ask it instead of testing the level.
 */
interface ProtocolDialect {

    /** The largest packet MQTT can express; what a client that sets no Maximum Packet Size accepts. */
    int PROTOCOL_MAX_PACKET_SIZE = 268_435_460;

    /**
     * The dialect of {@code version}, for a connection whose CONNECT asked for it.
     *
     * @param maxPacketSize the largest packet the connection takes
     */
    static ProtocolDialect of(MqttVersion version, MidgeConfig config, int maxPacketSize) {
        return switch (version) {
            case MQTT_5 -> new Mqtt5Dialect(config, maxPacketSize);
            case MQTT_3_1 -> Mqtt3Dialect.MQTT_3_1;
            case MQTT_3_1_1 -> Mqtt3Dialect.MQTT_3_1_1;
        };
    }

    MqttVersion version();

    /** The level as shown to operators: "MQTT 3.1", "MQTT 3.1.1" or "MQTT 5.0". */
    String describe();

    /** Reads what must be known before the CONNECT is checked (even a refusal must fit the client's limit). */
    void connecting(MqttConnectMessage connect, Channel channel);

    /**
     * What the CONNECT asks for in this version's terms. Refuses first what only this version forbids: a password
     * without a user name in MQTT 3, an authentication or limit property in error in MQTT 5.
     */
    ConnectTerms connectTerms(MqttConnectMessage connect) throws ConnectRequest.Refused;

    /** Whether a keepalive beyond {@code midge.max-keepalive} is lowered and told to the client, not refused. */
    boolean lowersKeepAlive();

    /** Whether a CONNECT without a client id gets one assigned, rather than refused. */
    boolean assignsClientId(boolean cleanSession);

    /** The code refusing a CONNECT whose will topic is invalid, or null to close without a CONNACK. */
    MqttConnectReturnCode invalidWillTopic();

    /** The code refusing a CONNECT whose will is retained while retained messages are off, or null to close. */
    MqttConnectReturnCode retainNotSupported();

    /** Whether a QoS 0 PUBLISH is the same bytes for every client of this version: nothing in it is per client. */
    boolean sharesQos0Packets();

    /** The client's limits and alias tables, once its CONNECT is accepted as well formed. */
    void connected(ConnectRequest request);

    /** The client's Receive Maximum: what it takes unacknowledged. */
    int receiveMaximum();

    /** The code refusing a client that is not authorized. */
    MqttConnectReturnCode notAuthorized();

    /** The code refusing a client whose user name or password is wrong. */
    MqttConnectReturnCode badCredentials();

    /** The code refusing a client because the broker cannot check its credentials now. */
    MqttConnectReturnCode serverUnavailable();

    /** The code refusing a client from an address that failed to log in too often. */
    MqttConnectReturnCode connectionRateExceeded();

    /** The code refusing a client id banned for connecting too often. */
    MqttConnectReturnCode banned();

    /** A CONNACK refusing the client with {@code code}. */
    MqttMessage refusal(MqttConnectReturnCode code, String reason);

    /** The accepting CONNACK. */
    MqttMessage connAck(boolean sessionPresent, ConnAckDetails details);

    /** The DISCONNECT telling the client why it is closed, or null when this level has none. */
    MqttMessage disconnect(byte reasonCode, String reason);

    /** A PUBACK, PUBREC, PUBREL or PUBCOMP for {@code packetId}; the reason code where the level has one. */
    MqttMessage ack(MqttMessageType type, int packetId, byte reasonCode);

    /** The SUBACK return code refusing one filter for {@code reasonCode}. */
    int subscriptionRefused(byte reasonCode);

    /** The UNSUBACK payload, or null when this level has none. */
    MqttUnsubAckPayload unsubAckPayload(short[] reasonCodes);

    /** The SUBSCRIBE's Subscription Identifier: 0 for none. */
    int subscriptionIdentifier(MqttProperties properties) throws Violation;

    /** An inbound PUBLISH's topic, its alias resolved; checks the properties a client may not send. */
    String inboundTopic(MqttPublishVariableHeader variable) throws Violation;

    /** An inbound PUBLISH's properties, or null when this level has none. */
    MqttProperties inboundProperties(MqttPublishVariableHeader variable);

    /** How many QoS 2 messages a client may leave awaiting PUBREL. */
    int awaitingReleaseLimit();

    /** An outbound PUBLISH, or null when it exceeds the client's Maximum Packet Size. */
    MqttPublishMessage publish(Message message, Delivery delivery, int packetId, boolean duplicate);

    /** A DISCONNECT's Session Expiry Interval, or null when it sets none. */
    Integer disconnectExpiry(MqttMessage disconnect);

    /** Whether a client's DISCONNECT asks for its will to be published. */
    boolean disconnectKeepsWill(MqttMessage disconnect);

    /**
     * What the CONNACK tells about the connection, beside the session.
     *
     * @param retainAvailable {@code midge.retain-available} as the connection opened
     */
    record ConnAckDetails(String clientId, boolean idAssigned, int serverKeepAlive, MqttProperties auth,
            boolean retainAvailable) {
    }

    /** A packet that breaks the protocol: the connection closes with this reason code. */
    final class Violation extends Exception {
        private final byte reasonCode;

        Violation(byte reasonCode, String reason) {
            super(reason, null, false, false);
            this.reasonCode = reasonCode;
        }

        byte reasonCode() {
            return reasonCode;
        }
    }
}
