package dev.midge.protocol;

import dev.midge.routing.Message;
import dev.midge.routing.Router;
import dev.midge.routing.Subscriber;
import dev.midge.routing.Topics;
import dev.midge.session.Session;
import dev.midge.session.SessionConnection;
import dev.midge.session.SessionRegistry;
import dev.midge.stats.BrokerStats;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One client connection: validates every packet for the connection's protocol level and turns packets into
 * session and router calls. Lives on its channel's event loop; nothing here is touched from another thread.
 */
public final class MqttConnection extends SimpleChannelInboundHandler<MqttMessage> implements SessionConnection {

    private static final Logger LOG = Logger.getLogger(MqttConnection.class);

    private enum State { AWAITING_CONNECT, CONNECTING, CONNECTED, CLOSED }

    private final Router router;
    private final SessionRegistry sessions;
    private final BrokerStats stats;
    private final Duration connectTimeout;
    private final int maxPacketSize;

    private ChannelHandlerContext ctx;
    private State state = State.AWAITING_CONNECT;
    private ScheduledFuture<?> connectDeadline;
    private Session session;
    /** True once CONNACK accepted the client: only then does an abrupt close publish the will. */
    private boolean accepted;
    private String clientId;
    private MqttVersion version;
    private Message will;
    private String closeReason = "connection lost";
    private boolean flushScheduled;
    /** Paused as a publisher: a subscriber it feeds is congested. Reading stops; acks still get through. */
    private boolean paused;
    /** Packets held while the session is being attached, or while paused; handled in order afterwards. */
    private final ArrayDeque<MqttMessage> heldBack = new ArrayDeque<>();

    MqttConnection(Router router, SessionRegistry sessions, BrokerStats stats, Duration connectTimeout,
            int maxPacketSize) {
        super(false);
        this.router = router;
        this.sessions = sessions;
        this.stats = stats;
        this.connectTimeout = connectTimeout;
        this.maxPacketSize = maxPacketSize;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connectDeadline = ctx.executor().schedule(
                () -> close("no CONNECT within " + connectTimeout.toMillis() + " ms"),
                connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
        try {
            if (state == State.CLOSED) {
                return;
            }
            DecoderResult result = msg.decoderResult();
            if (result.isFailure()) {
                onMalformed(msg, result.cause());
            } else if (packetSize(msg.fixedHeader().remainingLength()) > maxPacketSize) {
                close("packet larger than midge.max-packet-size=" + maxPacketSize);
            } else if (state == State.CONNECTING || (paused && !isAcknowledgement(msg))) {
                heldBack.add(ReferenceCountUtil.retain(msg));
            } else {
                handle(msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void handle(MqttMessage msg) {
        MqttMessageType type = msg.fixedHeader().messageType();
        if (state == State.AWAITING_CONNECT) {
            if (type == MqttMessageType.CONNECT) {
                onConnect((MqttConnectMessage) msg);
            } else {
                close(type + " before CONNECT");
            }
            return;
        }
        switch (type) {
            case PUBLISH -> onPublish((MqttPublishMessage) msg);
            case PUBACK -> session.onPubAck(packetId(msg));
            case PUBREC -> session.onPubRec(packetId(msg));
            case PUBREL -> onPubRel(packetId(msg));
            case PUBCOMP -> session.onPubComp(packetId(msg));
            case SUBSCRIBE -> onSubscribe((MqttSubscribeMessage) msg);
            case UNSUBSCRIBE -> onUnsubscribe((MqttUnsubscribeMessage) msg);
            case PINGREQ -> write(new MqttMessage(fixedHeader(MqttMessageType.PINGRESP, MqttQoS.AT_MOST_ONCE)));
            case DISCONNECT -> {
                will = null;
                close("client disconnected");
            }
            case CONNECT -> close("second CONNECT");
            default -> close("unexpected " + type);
        }
    }

    private void onMalformed(MqttMessage msg, Throwable cause) {
        if (state == State.AWAITING_CONNECT && cause instanceof MqttUnacceptableProtocolVersionException) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, cause.getMessage());
        } else if (state == State.AWAITING_CONNECT && cause instanceof MqttIdentifierRejectedException) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, cause.getMessage());
        } else {
            close("malformed packet: " + cause.getMessage());
        }
    }

    private void onConnect(MqttConnectMessage connect) {
        connectDeadline.cancel(false);
        MqttConnectVariableHeader header = connect.variableHeader();
        version = MqttVersion.fromProtocolNameAndLevel(header.name(), (byte) header.version());
        if (version == MqttVersion.MQTT_5) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION, "MQTT 5 not enabled");
            return;
        }
        if (header.hasPassword() && !header.hasUserName()) {
            close("password without user name");
            return;
        }
        String id = connect.payload().clientIdentifier();
        if (id == null || id.isEmpty()) {
            if (!header.isCleanSession() || version == MqttVersion.MQTT_3_1) {
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "empty client id");
                return;
            }
            id = "auto-" + UUID.randomUUID();
        }
        if (header.isWillFlag()) {
            String willTopic = connect.payload().willTopic();
            if (!Topics.isValidTopicName(willTopic)) {
                close("invalid will topic");
                return;
            }
            will = new Message(willTopic, connect.payload().willMessageInBytes(), header.willQos(),
                    header.isWillRetain());
        }
        clientId = id;
        if (header.keepAliveTimeSeconds() > 0) {
            // The spec allows one and a half keepalive periods of silence.
            long limit = header.keepAliveTimeSeconds() * 1500L;
            ctx.pipeline().addFirst("keepalive", new IdleStateHandler(limit, 0, 0, TimeUnit.MILLISECONDS));
        }
        state = State.CONNECTING;
        ctx.channel().config().setAutoRead(false);
        SessionRegistry.Opened opened = sessions.open(id, header.isCleanSession(), eventLoop());
        session = opened.session();
        session.attach(this, attached -> onAttached(attached, opened.present(), header));
    }

    private void onAttached(boolean attached, boolean sessionPresent, MqttConnectVariableHeader header) {
        if (state != State.CONNECTING) {
            return;
        }
        if (!attached) {
            close("session ended while connecting");
            return;
        }
        state = State.CONNECTED;
        accepted = true;
        MqttConnAckMessage connAck = MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(sessionPresent)
                .build();
        write(connAck);
        LOG.infof("Client %s connected from %s (%s, clean session %s, keepalive %ds)", clientId, remoteAddress(),
                describe(version), header.isCleanSession(), header.keepAliveTimeSeconds());
        resume();
    }

    /** Handles held-back packets in order until paused again, then reads from the socket once more. */
    private void resume() {
        paused = false;
        while (!heldBack.isEmpty() && state == State.CONNECTED && !paused) {
            MqttMessage msg = heldBack.poll();
            try {
                handle(msg);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
        if (state == State.CONNECTED && !paused) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /**
     * Stops reading until the congested subscriber catches up. Not when this client's own session is
     * congested: its acknowledgements, read from this socket, are what drains it.
     */
    private void pauseFor(Subscriber congested) {
        if (paused || !ctx.channel().isActive() || session.isCongested()) {
            return;
        }
        paused = true;
        ctx.channel().config().setAutoRead(false);
        congested.whenDecongested(() -> ctx.executor().execute(() -> {
            if (paused) {
                resume();
            }
        }));
    }

    private static boolean isAcknowledgement(MqttMessage msg) {
        return switch (msg.fixedHeader().messageType()) {
            case PUBACK, PUBREC, PUBCOMP, PINGREQ -> true;
            default -> false;
        };
    }

    private void onPublish(MqttPublishMessage publish) {
        String topic = publish.variableHeader().topicName();
        if (!Topics.isValidTopicName(topic)) {
            close("PUBLISH to invalid topic name");
            return;
        }
        MqttFixedHeader header = publish.fixedHeader();
        int qos = header.qosLevel().value();
        int packetId = publish.variableHeader().packetId();
        Message message = new Message(topic, ByteBufUtil.getBytes(publish.payload()), qos, header.isRetain());
        stats.received();
        Subscriber congested = null;
        switch (qos) {
            case 0 -> congested = router.publish(message);
            case 1 -> {
                congested = router.publish(message);
                write(ack(MqttMessageType.PUBACK, MqttQoS.AT_MOST_ONCE, packetId));
            }
            default -> {
                // Exactly once: a resent PUBLISH with an id still awaiting PUBREL is acknowledged, not routed again.
                if (session.awaitRelease(packetId)) {
                    congested = router.publish(message);
                }
                write(ack(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE, packetId));
            }
        }
        if (congested != null) {
            pauseFor(congested);
        }
    }

    private void onPubRel(int packetId) {
        session.released(packetId);
        write(ack(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE, packetId));
    }

    private void onSubscribe(MqttSubscribeMessage subscribe) {
        List<MqttTopicSubscription> requested = subscribe.payload().topicSubscriptions();
        if (requested.isEmpty()) {
            close("SUBSCRIBE without topic filters");
            return;
        }
        int[] codes = new int[requested.size()];
        for (int i = 0; i < codes.length; i++) {
            String filter = requested.get(i).topicName();
            if (Topics.isValidFilter(filter)) {
                codes[i] = requested.get(i).qualityOfService().value();
                session.subscribe(filter, codes[i]);
            } else {
                codes[i] = MqttQoS.FAILURE.value();
            }
        }
        write(new MqttSubAckMessage(fixedHeader(MqttMessageType.SUBACK, MqttQoS.AT_MOST_ONCE),
                MqttMessageIdVariableHeader.from(subscribe.variableHeader().messageId()),
                new MqttSubAckPayload(codes)));
        for (int i = 0; i < codes.length; i++) {
            int granted = codes[i];
            if (granted != MqttQoS.FAILURE.value()) {
                router.retained().forEachMatching(requested.get(i).topicName(),
                        m -> session.deliver(m, Math.min(m.qos(), granted), true));
            }
        }
    }

    private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
        List<String> filters = unsubscribe.payload().topics();
        if (filters.isEmpty()) {
            close("UNSUBSCRIBE without topic filters");
            return;
        }
        filters.forEach(session::unsubscribe);
        write(new MqttUnsubAckMessage(fixedHeader(MqttMessageType.UNSUBACK, MqttQoS.AT_MOST_ONCE),
                MqttMessageIdVariableHeader.from(unsubscribe.variableHeader().messageId())));
    }

    private void refuse(MqttConnectReturnCode code, String reason) {
        write(MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build());
        close("refused: " + reason);
    }

    /** Closes this connection; the reason shows in the disconnect log line. */
    private void close(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closeReason = reason;
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> ctx.close());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state == State.CONNECTED && paused) {
            // What the client sent before closing still counts, a DISCONNECT among it too.
            resume();
        }
        state = State.CLOSED;
        if (connectDeadline != null) {
            connectDeadline.cancel(false);
        }
        heldBack.forEach(ReferenceCountUtil::release);
        heldBack.clear();
        if (session != null) {
            session.detach(this);
        }
        if (accepted && will != null) {
            router.publish(will);
        }
        if (clientId != null) {
            LOG.infof("Client %s disconnected from %s (%s)", clientId, remoteAddress(), closeReason);
        } else {
            LOG.debugf("Connection from %s closed before CONNECT completed (%s)", remoteAddress(), closeReason);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            close("keepalive timeout");
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debugf(cause, "Connection %s from %s failed", clientId, remoteAddress());
        close("error: " + cause.getMessage());
    }

    // SessionConnection: the session calls these on this connection's loop.

    @Override
    public EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public void sendPublish(Message message, int qos, boolean retain, int packetId, boolean duplicate) {
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, duplicate, MqttQoS.valueOf(qos),
                retain, 0);
        write(new MqttPublishMessage(header, new MqttPublishVariableHeader(message.topic(), packetId),
                Unpooled.wrappedBuffer(message.payload())));
    }

    @Override
    public void sendPubRel(int packetId) {
        write(ack(MqttMessageType.PUBREL, MqttQoS.AT_LEAST_ONCE, packetId));
    }

    @Override
    public void sessionCongested() {
        if (paused) {
            resume();
        }
    }

    @Override
    public void takenOver() {
        close("session taken over by another connection");
    }

    /** Writes now and flushes once after the current burst of work on this loop. */
    private void write(MqttMessage msg) {
        ctx.write(msg, ctx.voidPromise());
        if (!flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(() -> {
                flushScheduled = false;
                ctx.flush();
            });
        }
    }

    /** The whole packet's size: the fixed header's type byte, the remaining-length bytes, and the rest. */
    static int packetSize(int remainingLength) {
        int lengthBytes = 1;
        for (int rest = remainingLength >> 7; rest > 0; rest >>= 7) {
            lengthBytes++;
        }
        return 1 + lengthBytes + remainingLength;
    }

    private static MqttMessage ack(MqttMessageType type, MqttQoS qos, int packetId) {
        return new MqttMessage(fixedHeader(type, qos), MqttMessageIdVariableHeader.from(packetId));
    }

    private static MqttFixedHeader fixedHeader(MqttMessageType type, MqttQoS qos) {
        return new MqttFixedHeader(type, false, qos, false, 0);
    }

    private static int packetId(MqttMessage msg) {
        return ((MqttMessageIdVariableHeader) msg.variableHeader()).messageId();
    }

    private SocketAddress remoteAddress() {
        return ctx.channel().remoteAddress();
    }

    private static String describe(MqttVersion version) {
        return switch (version) {
            case MQTT_3_1 -> "MQTT 3.1";
            case MQTT_3_1_1 -> "MQTT 3.1.1";
            case MQTT_5 -> "MQTT 5.0";
        };
    }
}
