package dev.midge.protocol;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.stats.BrokerStats;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;

/**
 * Messages from the session to the client: PUBLISH and PUBREL out, the client's PUBACK, PUBREC and PUBCOMP
 * back to the session, and the socket's writability. The message path: nothing here allocates beyond the
 * packet it writes.
 */
final class OutboundFlow {

    private final ConnectionContext connection;
    private final InboundGate gate;
    private final BrokerStats stats;

    OutboundFlow(ConnectionContext connection, InboundGate gate) {
        this.connection = connection;
        this.gate = gate;
        this.stats = connection.services.stats();
    }

    /** See {@link dev.midge.session.SessionConnection#sendPublish}. */
    boolean sendPublish(Message message, Delivery delivery, int packetId, boolean duplicate) {
        ByteBuf shared = packetId == 0 && connection.dialect.sharesQos0Packets()
                ? SharedQos0Packets.packet(message, delivery.retain(), connection.ctx.alloc(),
                        connection.ctx.executor()) : null;
        if (shared != null) {
            connection.write(shared);
        } else {
            MqttPublishMessage publish = connection.dialect.publish(message, delivery, packetId, duplicate);
            if (publish == null) {
                stats.tooLarge();
                return false;
            }
            connection.write(publish);
        }
        if (packetId != 0 && gate.isPaused()) {
            gate.awaitsAcknowledgement();
        }
        if (message.receivedNanos() != 0 && !duplicate) {
            stats.deliveryLatency(System.nanoTime() - message.receivedNanos());
        }
        return true;
    }

    void sendPubRel(int packetId) {
        connection.write(connection.dialect.ack(MqttMessageType.PUBREL, packetId, ReasonCode.SUCCESS));
    }

    void onPubAck(MqttMessage msg) {
        connection.sessionLoop.onPubAck(Packets.packetId(msg));
    }

    void onPubRec(MqttMessage msg) {
        int packetId = Packets.packetId(msg);
        if (msg.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply
                && (reply.reasonCode() & 0x80) != 0) {
            // The client refused the message: delivery ends here, no PUBREL.
            connection.sessionLoop.onPubRecRefused(packetId);
            return;
        }
        connection.sessionLoop.onPubRec(packetId);
    }

    void onPubComp(MqttMessage msg) {
        connection.sessionLoop.onPubComp(Packets.packetId(msg));
    }

    boolean isWritable() {
        return connection.ctx.channel().isWritable();
    }

    /** The socket takes more again: the session sends what it held back. */
    void writabilityChanged() {
        if (connection.sessionLoop != null && isWritable()) {
            connection.sessionLoop.writable(connection.connection);
        }
    }

    /** The session is congested; paused as a publisher, this connection must read its acknowledgements. */
    void sessionCongested() {
        if (gate.isPaused()) {
            gate.resume();
        }
    }
}
