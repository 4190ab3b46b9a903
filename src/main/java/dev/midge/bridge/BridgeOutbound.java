package dev.midge.bridge;

import dev.midge.delivery.Outbound;
import dev.midge.delivery.OutboundEvents;
import dev.midge.delivery.OutboundJournal;
import dev.midge.delivery.OutboundQueue;
import dev.midge.delivery.OutboundSender;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.MessageProperties;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a bridge sends to the remote broker: its {@link OutboundQueue} (at most {@value #MAX_INFLIGHT} QoS 1/2
 * messages unacknowledged; while the remote broker is away QoS 1/2 messages wait, up to the bridge's
 * {@code max-queued}, and QoS 0 ones are dropped), the channel it writes to, and its counters. On the
 * bridge's loop, but for the counters.
 */
final class BridgeOutbound implements OutboundSender, OutboundEvents {

    private static final int MAX_INFLIGHT = 20;

    private final int maxQueued;
    private final OutboundQueue queue;
    private Channel channel;
    private volatile int queued;
    private final LongAdder messagesOut = new LongAdder();
    private final LongAdder messagesDropped = new LongAdder();

    BridgeOutbound(int maxQueued) {
        this.maxQueued = maxQueued;
        this.queue = new OutboundQueue(OutboundJournal.NONE, this);
    }

    /** A local message for the remote broker, under its remote topic: sent, queued or dropped. */
    void offer(String remoteTopic, Message message, Delivery delivery) {
        Message out = new Message(remoteTopic, message.payload(), delivery.qos(), delivery.retain(),
                MessageProperties.NONE, null, message.expiresAt());
        Delivery how = Delivery.of(delivery.qos(), delivery.retain());
        OutboundQueue.Offer offer;
        if (how.qos() > 0) {
            offer = queue.offer(new Outbound(out, how, 0), maxQueued);
        } else {
            offer = channel != null ? queue.offerQos0(out, how, maxQueued) : OutboundQueue.Offer.REFUSED;
        }
        if (offer == OutboundQueue.Offer.REFUSED) {
            messagesDropped.increment();
        }
        queued = queue.queuedSize();
    }

    /** A packet id for the bridge's own SUBSCRIBE, from the same space as its PUBLISH ids. */
    int nextPacketId() {
        return queue.nextPacketId();
    }

    /** Connected: unacknowledged messages of the last connection go first (PUBLISH with DUP, or PUBREL). */
    void connected(Channel newChannel) {
        channel = newChannel;
        queue.online(this, MAX_INFLIGHT);
        queue.resend();
        queued = queue.queuedSize();
    }

    void disconnected() {
        channel = null;
        queue.offline();
    }

    /** Stopped: what waits or is in flight is dropped and counted; it would reach the remote broker late, if ever. */
    void dropAll() {
        queue.clear(inflight -> messagesDropped.increment(), waiting -> messagesDropped.increment());
        queued = 0;
    }

    void onPubAck(int packetId) {
        queue.onPubAck(packetId);
        queued = queue.queuedSize();
    }

    /** A PUBREC: PUBREL follows, unless the remote broker refused the message (an error reason code). */
    void onPubRec(int packetId, byte reasonCode) {
        if ((reasonCode & 0x80) != 0) {
            queue.onPubRecRefused(packetId);
            messagesDropped.increment();
        } else if (queue.onPubRec(packetId)) {
            sendPubRel(packetId);
        }
        queued = queue.queuedSize();
    }

    void onPubComp(int packetId) {
        queue.onPubComp(packetId);
        queued = queue.queuedSize();
    }

    /** Messages waiting to be sent. Any thread. */
    int queued() {
        return queued;
    }

    long messagesOut() {
        return messagesOut.sum();
    }

    long messagesDropped() {
        return messagesDropped.sum();
    }

    @Override
    public boolean isWritable() {
        // Only the remote broker's window holds messages back, not the socket's buffer.
        return true;
    }

    @Override
    public boolean sendPublish(Message message, Delivery delivery, int packetId, boolean duplicate) {
        channel.writeAndFlush(new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, duplicate, MqttQoS.valueOf(delivery.qos()),
                        delivery.retain(), 0),
                new MqttPublishVariableHeader(message.topic(), packetId),
                Unpooled.wrappedBuffer(message.payload())));
        return true;
    }

    @Override
    public void sendPubRel(int packetId) {
        channel.writeAndFlush(reply(MqttMessageType.PUBREL, packetId));
    }

    static MqttMessage reply(MqttMessageType type, int packetId) {
        return new MqttMessage(new MqttFixedHeader(type, false,
                type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttPubReplyMessageVariableHeader(packetId, (byte) 0, MqttProperties.NO_PROPERTIES));
    }

    @Override
    public void leftQueue() {
    }

    @Override
    public void sent(int qos) {
        if (qos == 0) {
            messagesOut.increment();
        }
    }

    @Override
    public void expired() {
        // Not counted, as a message that arrives expired is not.
    }

    @Override
    public void acknowledged() {
        messagesOut.increment();
    }

    @Override
    public void drained() {
    }
}
