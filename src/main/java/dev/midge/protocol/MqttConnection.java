package dev.midge.protocol;

import dev.midge.config.ServerCertificateConfig.IdentitySource;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.protocol.ConnectionContext.Phase;
import dev.midge.security.ListenerSecurity;
import dev.midge.session.CloseCause;
import dev.midge.session.SessionConnection;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;

/**
 * One client connection, on its channel's event loop: hands each packet to the flow whose job it is (CONNECT
 * and AUTH, inbound PUBLISH, subscriptions, outbound acknowledgements, the end of the connection) and is the
 * connection its session sees. Nothing here is touched from another thread.
 */
public final class MqttConnection extends SimpleChannelInboundHandler<MqttMessage> implements SessionConnection {

    /** Set on the channel once it speaks MQTT 5, so that framing checks what only MQTT 5 forbids. */
    public static final AttributeKey<Boolean> MQTT5 = AttributeKey.valueOf("midge.mqtt5");

    private final ConnectionServices services;
    private final ListenerSecurity security;
    private final IdentitySource certificateIdentity;
    private final int maxPacketSize;

    private ConnectionContext connection;
    /** Holds packets back while the session is being attached, or while paused as a publisher. */
    private InboundGate gate;
    private CloseFlow close;
    private ConnectFlow connect;
    private InboundPublishFlow inbound;
    private SubscriptionFlow subscriptions;
    private OutboundFlow outbound;

    /**
     * @param security the authenticator and authorizer of the listener the connection came through
     * @param certificateIdentity the name of the client certificate that is the user name, or null for the
     *        CONNECT's user name
     * @param maxPacketSize the largest packet the connection's pipeline takes, which an MQTT 5 CONNACK announces
     */
    MqttConnection(ConnectionServices services, ListenerSecurity security, IdentitySource certificateIdentity,
            int maxPacketSize) {
        super(false);
        this.services = services;
        this.security = security;
        this.certificateIdentity = certificateIdentity;
        this.maxPacketSize = maxPacketSize;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        connection = new ConnectionContext(ctx, services, this);
        gate = new InboundGate(this, ctx, services.config().slowSubscriberTimeout());
        close = new CloseFlow(connection, gate, security.authorizer());
        PasswordLogin login = new PasswordLogin(security.authenticator(), services.throttle(), services.stats());
        connect = new ConnectFlow(connection, close, gate, login, security.authorizer(), certificateIdentity,
                maxPacketSize);
        DurableAcks acks = new DurableAcks(connection);
        inbound = new InboundPublishFlow(connection, close, gate, acks, security.authorizer());
        subscriptions = new SubscriptionFlow(connection, close, acks, security.authorizer());
        outbound = new OutboundFlow(connection, gate);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        close.startConnectTimer();
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
        try {
            Phase phase = connection.phase;
            if (phase == Phase.CLOSED) {
                return;
            }
            close.packetReceived();
            DecoderResult result = msg.decoderResult();
            if (result.isFailure()) {
                close.onMalformed(result.cause());
            } else if (!gate.holds(msg, phase == Phase.CONNECTING || phase == Phase.CHECKING_PASSWORD)) {
                handle(msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        close.readBurstEnded();
        ctx.fireChannelReadComplete();
    }

    /** CONNACK sent and not closed since. */
    boolean isConnected() {
        return connection.isConnected();
    }

    /** Handles one packet read from the client, now or after it was held back. */
    void handle(MqttMessage msg) {
        MqttMessageType type = msg.fixedHeader().messageType();
        Phase phase = connection.phase;
        if (phase == Phase.AWAITING_CONNECT) {
            if (type == MqttMessageType.CONNECT) {
                connect.onConnect((MqttConnectMessage) msg);
            } else {
                close.close(type + " before CONNECT", true);
            }
            return;
        }
        if (phase == Phase.AUTHENTICATING) {
            if (type == MqttMessageType.AUTH) {
                connect.onAuth(msg);
            } else {
                close.close(type + " during authentication", true);
            }
            return;
        }
        switch (type) {
            case PUBLISH -> inbound.onPublish((MqttPublishMessage) msg);
            case PUBACK -> outbound.onPubAck(msg);
            case PUBREC -> outbound.onPubRec(msg);
            case PUBREL -> inbound.onPubRel(Packets.packetId(msg));
            case PUBCOMP -> outbound.onPubComp(msg);
            case SUBSCRIBE -> subscriptions.onSubscribe((MqttSubscribeMessage) msg);
            case UNSUBSCRIBE -> subscriptions.onUnsubscribe((MqttUnsubscribeMessage) msg);
            case PINGREQ -> connection.write(new MqttMessage(
                    Packets.fixedHeader(MqttMessageType.PINGRESP, MqttQoS.AT_MOST_ONCE)));
            case DISCONNECT -> close.onDisconnect(msg);
            case CONNECT -> close.disconnect(ReasonCode.PROTOCOL_ERROR, "second CONNECT");
            case AUTH -> connect.onAuth(msg);
            default -> close.disconnect(ReasonCode.PROTOCOL_ERROR, "unexpected " + type);
        }
    }

    /** The broker is stopping: MQTT 5 clients hear why. */
    public void serverShuttingDown() {
        close.disconnect(ReasonCode.SERVER_SHUTTING_DOWN, "server shutting down");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        close.channelInactive();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        outbound.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!close.onEvent(event)) {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        close.onException(cause);
    }

    // SessionConnection: the session calls these on this connection's loop.

    @Override
    public EventLoop eventLoop() {
        return connection.ctx.channel().eventLoop();
    }

    @Override
    public boolean isWritable() {
        return outbound.isWritable();
    }

    @Override
    public int receiveMaximum() {
        return connection.dialect.receiveMaximum();
    }

    @Override
    public boolean sendPublish(Message message, Delivery delivery, int packetId, boolean duplicate) {
        return outbound.sendPublish(message, delivery, packetId, duplicate);
    }

    @Override
    public void sendPubRel(int packetId) {
        outbound.sendPubRel(packetId);
    }

    @Override
    public void sessionCongested() {
        outbound.sessionCongested();
    }

    @Override
    public void close(CloseCause cause) {
        close.close(cause);
    }

    @Override
    public String protocol() {
        return connection.dialect.describe();
    }

    @Override
    public SocketAddress remoteAddress() {
        return connection.remoteAddress();
    }
}
