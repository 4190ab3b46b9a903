package dev.midge.protocol;

import dev.midge.config.MidgeConfig;
import dev.midge.limits.Limits;
import dev.midge.message.Message;
import dev.midge.message.MessageProperties;
import dev.midge.message.TopicName;
import dev.midge.routing.Congestion;
import dev.midge.routing.Router;
import dev.midge.security.Authorizer;
import dev.midge.session.Session;
import dev.midge.session.SessionLoop;
import dev.midge.stats.BrokerStats;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jboss.logging.Logger;

/**
 * PUBLISH from the client, and PUBREL for its QoS 2 messages: topic aliases resolved, the packet checked and
 * authorized, the message routed, and acknowledged. QoS 2 is acknowledged on receipt, its packet id awaiting
 * PUBREL in the session, so a resent PUBLISH is acknowledged but not routed again. On the message path:
 * nothing here allocates beyond the message itself and its acknowledgement, nor hops to another loop.
 */
final class InboundPublishFlow {

    private static final Logger LOG = Logger.getLogger(InboundPublishFlow.class);

    /** One PUBLISH in 128 of each connection is timed from receipt to each delivery. */
    private static final int LATENCY_SAMPLE_MASK = 127;

    private final ConnectionContext connection;
    private final CloseFlow close;
    private final InboundGate gate;
    private final DurableAcks acks;
    private final Authorizer authorizer;
    private final Router router;
    private final BrokerStats stats;
    private final MidgeConfig config;
    private final Congestion memory;
    private final Limits brokerLimits;
    /** {@code midge.max-payload-size}, read at each PUBLISH: a reload applies from the next one. */
    private final PublishTerms terms;
    private int publishesReceived;

    InboundPublishFlow(ConnectionContext connection, CloseFlow close, InboundGate gate, DurableAcks acks,
            Authorizer authorizer) {
        this.connection = connection;
        this.close = close;
        this.gate = gate;
        this.acks = acks;
        this.authorizer = authorizer;
        this.router = connection.services.router();
        this.stats = connection.services.stats();
        this.config = connection.services.config();
        this.brokerLimits = connection.services.limits();
        this.memory = new MemoryCongestion(brokerLimits.memory());
        this.terms = connection.services.publishTerms();
    }

    void onPublish(MqttPublishMessage publish) {
        MqttPublishVariableHeader variable = publish.variableHeader();
        int qos = publish.fixedHeader().qosLevel().value();
        int packetId = variable.packetId();
        if (!connection.retainAvailable && publish.fixedHeader().isRetain()) {
            close.disconnect(ReasonCode.RETAIN_NOT_SUPPORTED, "retained PUBLISH while midge.retain-available=false");
            return;
        }
        TopicName topic = acceptedTopic(variable, qos, packetId);
        if (topic == null) {
            return;
        }
        int maxPayloadSize = terms.maxPayloadSize();
        if (publish.payload().readableBytes() > maxPayloadSize) {
            dropTooLarge(topic, qos, packetId, publish.payload().readableBytes(), maxPayloadSize);
            return;
        }
        InboundLimits limits = connection.limits;
        if (connection.limitsGeneration != brokerLimits.generation()) {
            limits = reloadedLimits();
        }
        if (limits != null && !limits.admit(qos, packetId, publish.payload().readableBytes())) {
            return;
        }
        byte[] payload = ByteBufUtil.getBytes(publish.payload());
        Message message = newMessage(topic, payload, qos, publish.fixedHeader().isRetain(),
                connection.dialect.inboundProperties(variable), connection.clientId);
        if ((++publishesReceived & LATENCY_SAMPLE_MASK) == 0) {
            message = message.sampled(System.nanoTime());
        }
        if (Integer.valueOf(1).equals(message.properties().payloadFormat()) && !isUtf8(payload)) {
            if (qos == 0) {
                close.disconnect(ReasonCode.PAYLOAD_FORMAT_INVALID, "payload is not the UTF-8 its format says");
            } else {
                connection.write(connection.dialect.ack(ackType(qos), packetId, ReasonCode.PAYLOAD_FORMAT_INVALID));
            }
            return;
        }
        stats.received(qos);
        if (authorizer.isRestrictive() && !authorizer.canPublish(connection.identity, topic)) {
            // MQTT 5 hears 0x87; MQTT 3 has no way to say no, so there the message is acknowledged and dropped.
            stats.unauthorized();
            if (qos > 0) {
                connection.write(connection.dialect.ack(ackType(qos), packetId, ReasonCode.NOT_AUTHORIZED));
            }
            return;
        }
        if (limits != null && message.retain() && !limits.admitsRetained(message, packetId)) {
            return;
        }
        route(message, qos, packetId);
    }

    /** Not routed; QoS 1 and 2 are acknowledged all the same, so that the client does not send it again. */
    private void dropTooLarge(TopicName topic, int qos, int packetId, int payloadSize, int maxPayloadSize) {
        LOG.debugf("Dropped too large PUBLISH from %s to %s: %d bytes over midge.max-payload-size=%d",
                connection.clientId, topic, payloadSize, maxPayloadSize);
        if (qos > 0) {
            connection.write(connection.dialect.ack(ackType(qos), packetId, ReasonCode.PACKET_TOO_LARGE));
        }
    }

    /** The limits were reloaded since this client's were resolved: it gets the new ones, from this PUBLISH on. */
    private InboundLimits reloadedLimits() {
        connection.limitsGeneration = brokerLimits.generation();
        if (connection.limits != null) {
            connection.limits.ended();
        }
        connection.limits = InboundLimits.of(connection, close, gate);
        return connection.limits;
    }

    /** The PUBLISH's topic, or null when the packet broke a rule and the connection is closing. */
    private TopicName acceptedTopic(MqttPublishVariableHeader variable, int qos, int packetId) {
        String topic;
        try {
            topic = connection.dialect.inboundTopic(variable);
        } catch (ProtocolDialect.Violation violation) {
            close.disconnect(violation);
            return null;
        }
        if (!TopicName.isValid(topic)) {
            close.disconnect(ReasonCode.TOPIC_NAME_INVALID, "PUBLISH to invalid topic name");
            return null;
        }
        TopicName topicName = TopicName.parseOrNull(topic, config.maxTopicLevels());
        if (topicName == null) {
            close.disconnect(ReasonCode.TOPIC_NAME_INVALID, "PUBLISH to a topic of more than midge.max-topic-levels="
                    + config.maxTopicLevels() + " levels");
            return null;
        }
        SessionLoop sessionLoop = connection.sessionLoop;
        if (qos == 2 && sessionLoop.awaitingRelease().size() >= connection.dialect.awaitingReleaseLimit()
                && !sessionLoop.awaitingRelease().contains(packetId)) {
            close.disconnect(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED,
                    "more than Receive Maximum " + config.receiveMaximum() + " QoS 2 messages awaiting PUBREL");
            return null;
        }
        return topicName;
    }

    private void route(Message message, int qos, int packetId) {
        Session session = connection.session;
        Congestion congested = null;
        long changes = acks.changes();
        switch (qos) {
            case 0 -> congested = router.publish(message);
            case 1 -> {
                congested = router.publish(message);
                acks.acknowledge(connection.dialect.ack(MqttMessageType.PUBACK, packetId, ReasonCode.SUCCESS),
                        changes, null);
            }
            default -> {
                // Exactly once: a resent PUBLISH with an id still awaiting PUBREL is acknowledged, not routed again.
                if (connection.sessionLoop.awaitingRelease().add(packetId)) {
                    congested = router.publish(message);
                }
                acks.acknowledge(connection.dialect.ack(MqttMessageType.PUBREC, packetId, ReasonCode.SUCCESS),
                        changes, null);
            }
        }
        // Not while its own messages await acknowledgements, which may be what brings the memory held down.
        if (congested == null && memory.isCongested() && session.inflightCount() == 0) {
            congested = memory;
        }
        // Nor when this client's own session is congested: its acknowledgements, read from this socket, drain it.
        if (congested != null && !session.isCongested()) {
            gate.pauseFor(congested);
        }
    }

    /** PUBREL: the QoS 2 message's id is free again; PUBCOMP says whether it was known. */
    void onPubRel(int packetId) {
        long changes = acks.changes();
        boolean known = connection.sessionLoop.awaitingRelease().remove(packetId);
        acks.acknowledge(connection.dialect.ack(MqttMessageType.PUBCOMP, packetId,
                known ? ReasonCode.SUCCESS : ReasonCode.PACKET_ID_NOT_FOUND), changes, null);
    }

    private static MqttMessageType ackType(int qos) {
        return qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
    }

    static Message newMessage(TopicName topic, byte[] payload, int qos, boolean retain,
            MqttProperties properties, String origin) {
        if (properties == null || properties.isEmpty()) {
            return new Message(topic, payload, qos, retain, MessageProperties.NONE, origin, 0);
        }
        Integer expiry = PropertyCodec.integer(properties, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL);
        long expiresAt = expiry == null ? 0
                : System.currentTimeMillis() + Integer.toUnsignedLong(expiry) * 1000;
        return new Message(topic, payload, qos, retain, PropertyCodec.read(properties), origin, expiresAt);
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
