package dev.midge.protocol;

import dev.midge.config.MidgeConfig;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.MessageProperties;
import dev.midge.message.SubscriptionOptions;
import dev.midge.message.Topics;
import dev.midge.persistence.BrokerStore;
import dev.midge.routing.Router;
import dev.midge.routing.SharedFilter;
import dev.midge.routing.Subscriber;
import dev.midge.security.Authorizer;
import dev.midge.security.ClientIdentity;
import dev.midge.security.EnhancedAuthenticator;
import dev.midge.security.EnhancedAuthenticator.AuthExchange;
import dev.midge.security.EnhancedAuthenticator.AuthStep;
import dev.midge.security.EnhancedAuthenticators;
import dev.midge.session.RetainedFeed;
import dev.midge.session.Session;
import dev.midge.session.SessionConnection;
import dev.midge.session.SessionRegistry;
import dev.midge.stats.BrokerStats;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * One client connection: validates every packet for the connection's protocol level (3.1, 3.1.1 or 5.0) and
 * turns packets into session and router calls. Lives on its channel's event loop; nothing here is touched from
 * another thread.
 */
public final class MqttConnection extends SimpleChannelInboundHandler<MqttMessage> implements SessionConnection {

    private static final Logger LOG = Logger.getLogger(MqttConnection.class);

    /** Set on the channel once it speaks MQTT 5, so that framing checks what only MQTT 5 forbids. */
    public static final AttributeKey<Boolean> MQTT5 = AttributeKey.valueOf("midge.mqtt5");

    /** The largest packet MQTT can express; what a client that sets no Maximum Packet Size accepts. */
    private static final int PROTOCOL_MAX_PACKET_SIZE = 268_435_460;

    /** One PUBLISH in 128 of each connection is timed from receipt to each delivery. */
    private static final int LATENCY_SAMPLE_MASK = 127;

    /** CHECKING_PASSWORD: the hash runs off the loop; what the client sends meanwhile is held back. */
    private enum State { AWAITING_CONNECT, CHECKING_PASSWORD, AUTHENTICATING, CONNECTING, CONNECTED, CLOSED }

    private final Router router;
    private final SessionRegistry sessions;
    private final BrokerStats stats;
    private final MidgeConfig config;
    private final EnhancedAuthenticators authenticators;
    private final PasswordLogin login;
    private final Authorizer authorizer;
    private final BrokerStore store;
    private final boolean identityFromCertificate;

    private ChannelHandlerContext ctx;
    private ClientIdentity identity;
    private State state = State.AWAITING_CONNECT;
    private ConnectionDeadlines deadlines;
    private Session session;
    /** True once CONNACK accepted the client: only then does an abrupt close publish the will. */
    private boolean accepted;
    private String clientId;
    private MqttVersion version = MqttVersion.MQTT_3_1_1;
    private Message will;
    private long willDelay;
    private long connectExpiryInterval;
    private int clientReceiveMaximum = 65_535;
    private int clientMaxPacketSize = PROTOCOL_MAX_PACKET_SIZE;
    private TopicAliases aliases;
    /** MQTT 5 enhanced authentication: the method, the exchange under way, and what to do once it succeeds. */
    private String authMethod;
    private AuthExchange authExchange;
    private Runnable afterAuthentication;
    private byte[] authSuccessData;
    private String closeReason = "connection lost";
    /** Set once the session has let go of this connection (see {@link #connectionEnded()}). */
    private boolean ended;
    private boolean flushScheduled;
    /** Holds packets back while the session is being attached, or while paused as a publisher. */
    private InboundGate gate;
    /** Acknowledgements waiting for the store; later ones queue behind them, so the order stays as received. */
    private int acknowledgementsWaiting;
    private int publishesReceived;

    MqttConnection(Router router, SessionRegistry sessions, BrokerStats stats, MidgeConfig config,
            EnhancedAuthenticators authenticators, PasswordLogin login, Authorizer authorizer,
            BrokerStore store, boolean identityFromCertificate) {
        super(false);
        this.login = login;
        this.store = store;
        this.identityFromCertificate = identityFromCertificate;
        this.authorizer = authorizer;
        this.router = router;
        this.sessions = sessions;
        this.stats = stats;
        this.config = config;
        this.authenticators = authenticators;
    }

    private boolean isV5() {
        return version == MqttVersion.MQTT_5;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.gate = new InboundGate(this, ctx, config.slowSubscriberTimeout());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long timeout = config.connectTimeout().toMillis();
        deadlines = new ConnectionDeadlines(ctx, () -> close("not connected within " + timeout + " ms"));
        deadlines.awaitConnect(timeout);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
        try {
            if (state == State.CLOSED) {
                return;
            }
            deadlines.packetReceived();
            DecoderResult result = msg.decoderResult();
            if (result.isFailure()) {
                onMalformed(result.cause());
            } else if (!gate.holds(msg, state == State.CONNECTING || state == State.CHECKING_PASSWORD)) {
                handle(msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** CONNACK sent and not closed since. */
    boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** Handles one packet read from the client, now or after it was held back. */
    void handle(MqttMessage msg) {
        MqttMessageType type = msg.fixedHeader().messageType();
        if (state == State.AWAITING_CONNECT) {
            if (type == MqttMessageType.CONNECT) {
                onConnect((MqttConnectMessage) msg);
            } else {
                close(type + " before CONNECT", true);
            }
            return;
        }
        if (state == State.AUTHENTICATING) {
            if (type == MqttMessageType.AUTH) {
                onAuth(msg);
            } else {
                close(type + " during authentication", true);
            }
            return;
        }
        switch (type) {
            case PUBLISH -> onPublish((MqttPublishMessage) msg);
            case PUBACK -> session.onPubAck(packetId(msg));
            case PUBREC -> onPubRec(msg);
            case PUBREL -> onPubRel(packetId(msg));
            case PUBCOMP -> session.onPubComp(packetId(msg));
            case SUBSCRIBE -> onSubscribe((MqttSubscribeMessage) msg);
            case UNSUBSCRIBE -> onUnsubscribe((MqttUnsubscribeMessage) msg);
            case PINGREQ -> write(new MqttMessage(fixedHeader(MqttMessageType.PINGRESP, MqttQoS.AT_MOST_ONCE)));
            case DISCONNECT -> onDisconnect(msg);
            case CONNECT -> disconnect(ReasonCode.PROTOCOL_ERROR, "second CONNECT");
            case AUTH -> onAuth(msg);
            default -> disconnect(ReasonCode.PROTOCOL_ERROR, "unexpected " + type);
        }
    }

    private void onMalformed(Throwable cause) {
        if (state == State.AWAITING_CONNECT && cause instanceof MqttUnacceptableProtocolVersionException) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, cause.getMessage());
        } else if (state == State.AWAITING_CONNECT && cause instanceof MqttIdentifierRejectedException) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, cause.getMessage());
        } else if (cause instanceof ProtocolErrorException) {
            disconnect(ReasonCode.PROTOCOL_ERROR, cause.getMessage());
        } else if (cause instanceof QuotaExceededException) {
            disconnect(ReasonCode.QUOTA_EXCEEDED, cause.getMessage());
        } else if (cause instanceof TooLongFrameException) {
            disconnect(ReasonCode.PACKET_TOO_LARGE, "packet larger than midge.max-packet-size");
        } else {
            disconnect(ReasonCode.MALFORMED_PACKET, "malformed packet: " + cause.getMessage());
        }
    }

    private void onConnect(MqttConnectMessage connect) {
        MqttConnectVariableHeader header = connect.variableHeader();
        version = MqttVersion.fromProtocolNameAndLevel(header.name(), (byte) header.version());
        if (isV5()) {
            ctx.channel().attr(MQTT5).set(true);
            // Read first: even a refusal must fit the client's Maximum Packet Size.
            Integer maxPacketSize = PropertyCodec.integer(header.properties(),
                    MqttPropertyType.MAXIMUM_PACKET_SIZE);
            clientMaxPacketSize = maxPacketSize == null || maxPacketSize == 0 ? PROTOCOL_MAX_PACKET_SIZE
                    : maxPacketSize;
        }
        ConnectRequest request;
        try {
            request = ConnectRequest.read(connect, version, config, authenticators);
        } catch (ConnectRequest.Refused refused) {
            if (refused.code() == null) {
                close(refused.getMessage(), true);
            } else {
                refuse(refused.code(), refused.getMessage());
            }
            return;
        }
        connectExpiryInterval = request.expiryInterval();
        if (isV5()) {
            clientReceiveMaximum = request.receiveMaximum();
            aliases = new TopicAliases(config.topicAlias().maximum(), request.topicAliasMaximum());
        }
        will = request.will();
        willDelay = request.willDelay();
        String id = request.clientId();
        clientId = id;
        String username = request.username();
        if (identityFromCertificate) {
            username = CertificateIdentity.of(ctx.pipeline().get(SslHandler.class), config.tls().identitySource());
            if (username == null) {
                stats.authFailure();
                refuse(isV5() ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                        "no client certificate, or none with an identity");
                return;
            }
        }
        identity = new ClientIdentity(id, username);
        if (request.enhanced() != null || identityFromCertificate) {
            proceed(header, request);
            return;
        }
        state = State.CHECKING_PASSWORD;
        login.check(ctx.executor(), remoteInetAddress(), id, username, request.password(), isV5(), refusal -> {
            // Closed while the password was checked: nothing may open a session for it now.
            if (state != State.CHECKING_PASSWORD) {
                return;
            }
            if (refusal != null) {
                refuse(refusal.code(), refusal.reason());
            } else {
                proceed(header, request);
            }
        });
    }

    /** The client is who it says (or enhanced authentication will tell): keepalive, then the session. */
    private void proceed(MqttConnectVariableHeader header, ConnectRequest request) {
        EnhancedAuthenticator enhanced = request.enhanced();
        String id = clientId;
        if (request.keepAlive() > 0) {
            // The spec allows one and a half keepalive periods of silence.
            long limit = request.keepAlive() * 1500L;
            deadlines.keepalive(limit);
        }
        Runnable connectSession = () -> {
            state = State.CONNECTING;
            ctx.channel().config().setAutoRead(false);
            openSession(header, request.idAssigned(), request.serverKeepAlive(), true);
        };
        if (enhanced == null) {
            connectSession.run();
            return;
        }
        state = State.AUTHENTICATING;
        authMethod = request.authMethod();
        afterAuthentication = connectSession;
        authExchange = enhanced.begin(id);
        authStep(authExchange.respond(PropertyCodec.binary(header.properties(),
                MqttPropertyType.AUTHENTICATION_DATA)));
    }

    /** An AUTH packet: the next step of authentication, or a client starting re-authentication. */
    private void onAuth(MqttMessage msg) {
        var header = (MqttReasonCodeAndPropertiesVariableHeader) msg.variableHeader();
        MqttProperties properties = header == null ? MqttProperties.NO_PROPERTIES : header.properties();
        String method = PropertyCodec.string(properties, MqttPropertyType.AUTHENTICATION_METHOD);
        byte reason = header == null ? ReasonCode.SUCCESS : header.reasonCode();
        if (authMethod == null || !authMethod.equals(method)) {
            disconnect(ReasonCode.PROTOCOL_ERROR, "AUTH with a method other than CONNECT's");
            return;
        }
        if (state == State.CONNECTED && reason == ReasonCode.REAUTHENTICATE) {
            authExchange = authenticators.find(authMethod).begin(clientId);
        } else if (reason != ReasonCode.CONTINUE_AUTHENTICATION || authExchange == null) {
            disconnect(ReasonCode.PROTOCOL_ERROR, "unexpected AUTH reason code " + (reason & 0xFF));
            return;
        }
        authStep(authExchange.respond(PropertyCodec.binary(properties, MqttPropertyType.AUTHENTICATION_DATA)));
    }

    private void authStep(AuthStep step) {
        switch (step.outcome()) {
            case CONTINUE -> write(MqttMessageBuilders.auth().reasonCode(ReasonCode.CONTINUE_AUTHENTICATION)
                    .properties(authProperties(step.data())).build());
            case SUCCESS -> {
                authExchange = null;
                if (state == State.AUTHENTICATING) {
                    authSuccessData = step.data();
                    afterAuthentication.run();
                } else {
                    write(MqttMessageBuilders.auth().reasonCode(ReasonCode.SUCCESS)
                            .properties(authProperties(step.data())).build());
                }
            }
            case FAILURE -> {
                authExchange = null;
                if (state == State.AUTHENTICATING) {
                    refuse(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5, "authentication failed");
                } else {
                    disconnect(ReasonCode.NOT_AUTHORIZED, "re-authentication failed");
                }
            }
        }
    }

    private MqttProperties authProperties(byte[] data) {
        MqttProperties p = new MqttProperties();
        p.add(new StringProperty(MqttPropertyType.AUTHENTICATION_METHOD.value(), authMethod));
        if (data != null) {
            p.add(new BinaryProperty(MqttPropertyType.AUTHENTICATION_DATA.value(), data));
        }
        return p;
    }

    private void openSession(MqttConnectVariableHeader header, boolean assigned, int serverKeepAlive,
            boolean retry) {
        SessionRegistry.Opened opened = sessions.open(clientId, header.isCleanSession(), connectExpiryInterval,
                eventLoop());
        session = opened.session();
        session.attach(this, identity, authorizer, connectExpiryInterval, attached -> {
            if (state != State.CONNECTING) {
                return;
            }
            if (attached) {
                onAttached(opened.present(), header, assigned, serverKeepAlive);
            } else if (retry) {
                // The session ended between lookup and attach; the next lookup makes a new one.
                openSession(header, assigned, serverKeepAlive, false);
            } else {
                close("session ended while connecting");
            }
        });
    }

    private void onAttached(boolean sessionPresent, MqttConnectVariableHeader header, boolean assigned,
            int serverKeepAlive) {
        state = State.CONNECTED;
        accepted = true;
        stats.clientConnected();
        deadlines.connected();
        MqttMessageBuilders.ConnAckBuilder connAck = MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(sessionPresent);
        if (isV5()) {
            List<MqttProperty<?>> essential = new ArrayList<>(List.of(
                    new IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), config.receiveMaximum()),
                    new IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), config.maxPacketSize())));
            if (serverKeepAlive >= 0) {
                essential.add(new IntegerProperty(MqttPropertyType.SERVER_KEEP_ALIVE.value(), serverKeepAlive));
            }
            if (assigned) {
                essential.add(new StringProperty(MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), clientId));
            }
            if (authMethod != null) {
                for (MqttProperty<?> p : authProperties(authSuccessData).listAll()) {
                    essential.add(p);
                }
            }
            // Absent, these mean what they say here (1, or no aliases), so they go first when space is short.
            List<MqttProperty<?>> optional = List.of(
                    new IntegerProperty(MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(), config.topicAlias().maximum()),
                    new IntegerProperty(MqttPropertyType.RETAIN_AVAILABLE.value(), 1),
                    new IntegerProperty(MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE.value(), 1),
                    new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE.value(), 1),
                    new IntegerProperty(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 1));
            connAck.properties(PropertyCodec.fitting(clientMaxPacketSize, 2, essential, optional));
        }
        write(connAck.build());
        LOG.infof("Client %s connected from %s (%s, %s, keepalive %ds)", clientId, remoteAddress(),
                describe(version), header.isCleanSession() ? "clean start" : "resumed session",
                header.keepAliveTimeSeconds());
        gate.resume();
    }

    private void onPublish(MqttPublishMessage publish) {
        MqttFixedHeader header = publish.fixedHeader();
        MqttPublishVariableHeader variable = publish.variableHeader();
        int qos = header.qosLevel().value();
        int packetId = variable.packetId();
        String topic = variable.topicName();
        MqttProperties properties = isV5() ? variable.properties() : null;
        if (isV5()) {
            Integer alias = PropertyCodec.integer(properties, MqttPropertyType.TOPIC_ALIAS);
            if (alias != null) {
                if (!aliases.isValidInbound(alias)) {
                    disconnect(ReasonCode.TOPIC_ALIAS_INVALID, "topic alias " + alias + " out of range");
                    return;
                }
                topic = aliases.resolveInbound(alias, topic);
                if (topic == null) {
                    disconnect(ReasonCode.PROTOCOL_ERROR, "unknown topic alias " + alias);
                    return;
                }
            }
            if (!properties.getProperties(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value()).isEmpty()) {
                disconnect(ReasonCode.PROTOCOL_ERROR, "PUBLISH from a client with a Subscription Identifier");
                return;
            }
            String responseTopic = PropertyCodec.string(properties, MqttPropertyType.RESPONSE_TOPIC);
            if (responseTopic != null && !Topics.isValidTopicName(responseTopic)) {
                disconnect(ReasonCode.PROTOCOL_ERROR, "invalid Response Topic");
                return;
            }
        }
        if (!Topics.isValidTopicName(topic)) {
            disconnect(ReasonCode.TOPIC_NAME_INVALID, "PUBLISH to invalid topic name");
            return;
        }
        if (Topics.hasMoreLevelsThan(topic, config.maxTopicLevels())) {
            disconnect(ReasonCode.TOPIC_NAME_INVALID, "PUBLISH to a topic of more than midge.max-topic-levels="
                    + config.maxTopicLevels() + " levels");
            return;
        }
        if (qos == 2 && isV5() && !session.isAwaitingRelease(packetId)
                && session.awaitingReleaseCount() >= config.receiveMaximum()) {
            disconnect(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED,
                    "more than Receive Maximum " + config.receiveMaximum() + " QoS 2 messages awaiting PUBREL");
            return;
        }
        byte[] payload = ByteBufUtil.getBytes(publish.payload());
        Message message = newMessage(topic, payload, qos, header.isRetain(), properties, clientId);
        if ((++publishesReceived & LATENCY_SAMPLE_MASK) == 0) {
            message = message.sampled(System.nanoTime());
        }
        if (Integer.valueOf(1).equals(message.properties().payloadFormat()) && !isUtf8(payload)) {
            if (qos == 0) {
                disconnect(ReasonCode.PAYLOAD_FORMAT_INVALID, "payload is not the UTF-8 its format says");
            } else {
                MqttMessageType ackType = qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
                write(ack(ackType, MqttQoS.AT_MOST_ONCE, packetId, ReasonCode.PAYLOAD_FORMAT_INVALID));
            }
            return;
        }
        stats.received(qos);
        if (authorizer.isRestrictive() && !authorizer.canPublish(identity, topic)) {
            // MQTT 5 hears 0x87; MQTT 3 has no way to say no, so there the message is acknowledged and dropped.
            stats.unauthorized();
            if (qos > 0) {
                MqttMessageType ackType = qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
                write(ack(ackType, MqttQoS.AT_MOST_ONCE, packetId, ReasonCode.NOT_AUTHORIZED));
            }
            return;
        }
        Subscriber congested = null;
        long changes = store.changesByThisThread();
        switch (qos) {
            case 0 -> congested = router.publish(message);
            case 1 -> {
                congested = router.publish(message);
                acknowledge(ack(MqttMessageType.PUBACK, MqttQoS.AT_MOST_ONCE, packetId, ReasonCode.SUCCESS),
                        changes, null);
            }
            default -> {
                // Exactly once: a resent PUBLISH with an id still awaiting PUBREL is acknowledged, not routed again.
                if (session.awaitRelease(packetId)) {
                    congested = router.publish(message);
                }
                acknowledge(ack(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE, packetId, ReasonCode.SUCCESS),
                        changes, null);
            }
        }
        // Not when this client's own session is congested: its acknowledgements, read from this socket, drain it.
        if (congested != null && !session.isCongested()) {
            gate.pauseFor(congested);
        }
    }

    static Message newMessage(String topic, byte[] payload, int qos, boolean retain,
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

    private void onPubRec(MqttMessage msg) {
        int packetId = packetId(msg);
        if (msg.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply
                && (reply.reasonCode() & 0x80) != 0) {
            // The client refused the message: delivery ends here, no PUBREL.
            session.onPubRecRefused(packetId);
            return;
        }
        session.onPubRec(packetId);
    }

    private void onPubRel(int packetId) {
        long changes = store.changesByThisThread();
        boolean known = session.released(packetId);
        acknowledge(ack(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE, packetId,
                known ? ReasonCode.SUCCESS : ReasonCode.PACKET_ID_NOT_FOUND), changes, null);
    }

    /**
     * Writes an acknowledgement once what it acknowledges is stored: at once when the packet changed nothing
     * the store keeps (and no earlier acknowledgement is still waiting), else when the store says it is
     * durable. Then runs {@code after}, if any.
     *
     * @param changes the store's change count for this thread before the packet was handled
     */
    private void acknowledge(MqttMessage ack, long changes, Runnable after) {
        if (acknowledgementsWaiting == 0 && store.changesByThisThread() == changes) {
            write(ack);
            if (after != null) {
                after.run();
            }
            return;
        }
        acknowledgementsWaiting++;
        store.whenDurable(() -> ctx.executor().execute(() -> {
            acknowledgementsWaiting--;
            if (state == State.CONNECTED) {
                write(ack);
                if (after != null) {
                    after.run();
                }
            }
        }));
    }

    private void onSubscribe(MqttSubscribeMessage subscribe) {
        List<MqttTopicSubscription> requested = subscribe.payload().topicSubscriptions();
        if (requested.isEmpty()) {
            disconnect(ReasonCode.PROTOCOL_ERROR, "SUBSCRIBE without topic filters");
            return;
        }
        int subscriptionId = 0;
        if (isV5()) {
            Integer id = PropertyCodec.integer(subscribe.idAndPropertiesVariableHeader().properties(),
                    MqttPropertyType.SUBSCRIPTION_IDENTIFIER);
            if (id != null && id == 0) {
                disconnect(ReasonCode.PROTOCOL_ERROR, "Subscription Identifier 0");
                return;
            }
            subscriptionId = id == null ? 0 : id;
        }
        long changes = store.changesByThisThread();
        int[] codes = new int[requested.size()];
        SubscriptionOptions[] granted = new SubscriptionOptions[codes.length];
        boolean[] replaced = new boolean[codes.length];
        for (int i = 0; i < codes.length; i++) {
            String filter = requested.get(i).topicName();
            MqttSubscriptionOption option = requested.get(i).option();
            boolean shared = SharedFilter.isShared(filter);
            if ((shared ? SharedFilter.parse(filter) == null : !Topics.isValidFilter(filter))
                    || Topics.hasMoreLevelsThan(filter, config.maxTopicLevels())) {
                codes[i] = isV5() ? ReasonCode.TOPIC_FILTER_INVALID & 0xFF : MqttQoS.FAILURE.value();
                continue;
            }
            if (shared && option.isNoLocal()) {
                disconnect(ReasonCode.PROTOCOL_ERROR, "No Local on a shared subscription");
                return;
            }
            String plainFilter = shared ? SharedFilter.parse(filter).filter() : filter;
            if (authorizer.isRestrictive() && !authorizer.canSubscribe(identity, plainFilter)) {
                stats.unauthorized();
                codes[i] = isV5() ? ReasonCode.NOT_AUTHORIZED & 0xFF : MqttQoS.FAILURE.value();
                continue;
            }
            if (!session.hasSubscription(filter)
                    && session.subscriptionCount() >= config.maxSubscriptionsPerClient()) {
                stats.subscriptionRefused();
                codes[i] = isV5() ? ReasonCode.QUOTA_EXCEEDED & 0xFF : MqttQoS.FAILURE.value();
                continue;
            }
            granted[i] = new SubscriptionOptions(option.qos().value(), option.isNoLocal(),
                    option.isRetainAsPublished(), option.retainHandling().value(), subscriptionId);
            replaced[i] = session.subscribe(filter, granted[i]);
            codes[i] = granted[i].qos();
        }
        MqttSubAckMessage subAck = new MqttSubAckMessage(fixedHeader(MqttMessageType.SUBACK, MqttQoS.AT_MOST_ONCE),
                new MqttMessageIdAndPropertiesVariableHeader(subscribe.variableHeader().messageId(),
                        MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(codes));
        List<String> filters = requested.stream().map(MqttTopicSubscription::topicName).toList();
        whenRouted(filters, () -> acknowledge(subAck, changes, () -> sendRetained(requested, granted, replaced)));
    }

    /** Runs the acknowledgement once every cluster node routes the filters as they are now; at once when alone. */
    private void whenRouted(List<String> filters, Runnable acknowledgement) {
        CompletableFuture<Void> routed = router.routesSettled(filters).toCompletableFuture();
        if (routed.isDone()) {
            acknowledgement.run();
            return;
        }
        routed.whenComplete((done, failure) -> ctx.executor().execute(() -> {
            if (state == State.CONNECTED) {
                acknowledgement.run();
            }
        }));
    }

    /**
     * Retained messages for the new subscriptions, after their SUBACK: at most midge.max-retained-per-subscribe
     * of them, fed to the session as its queue drains rather than queued at once.
     */
    private void sendRetained(List<MqttTopicSubscription> requested, SubscriptionOptions[] granted,
            boolean[] replaced) {
        int limit = config.maxRetainedPerSubscribe() == 0 ? Integer.MAX_VALUE : config.maxRetainedPerSubscribe();
        for (int i = 0; i < granted.length && limit > 0; i++) {
            SubscriptionOptions options = granted[i];
            String filter = requested.get(i).topicName();
            boolean sendRetained = options != null && !SharedFilter.isShared(filter)
                    && (options.retainHandling() == 0 || (options.retainHandling() == 1 && !replaced[i]));
            if (sendRetained) {
                List<Message> matching = router.retained().matching(filter, limit);
                limit -= matching.size();
                session.feedRetained(new RetainedFeed(matching, options));
            }
        }
    }

    private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
        List<String> filters = unsubscribe.payload().topics();
        if (filters.isEmpty()) {
            disconnect(ReasonCode.PROTOCOL_ERROR, "UNSUBSCRIBE without topic filters");
            return;
        }
        long changes = store.changesByThisThread();
        short[] codes = new short[filters.size()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = session.unsubscribe(filters.get(i)) ? ReasonCode.SUCCESS : ReasonCode.NO_SUBSCRIPTION_EXISTED;
        }
        MqttUnsubAckMessage unsubAck = new MqttUnsubAckMessage(fixedHeader(MqttMessageType.UNSUBACK,
                MqttQoS.AT_MOST_ONCE), new MqttMessageIdAndPropertiesVariableHeader(
                        unsubscribe.variableHeader().messageId(), MqttProperties.NO_PROPERTIES),
                isV5() ? new MqttUnsubAckPayload(codes) : null);
        whenRouted(filters, () -> acknowledge(unsubAck, changes, null));
    }

    private void onDisconnect(MqttMessage msg) {
        if (isV5() && msg.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header) {
            Integer expiry = PropertyCodec.integer(header.properties(), MqttPropertyType.SESSION_EXPIRY_INTERVAL);
            if (expiry != null) {
                if (connectExpiryInterval == 0 && expiry != 0) {
                    disconnect(ReasonCode.PROTOCOL_ERROR, "Session Expiry Interval set on DISCONNECT after 0");
                    return;
                }
                session.expiryInterval(Integer.toUnsignedLong(expiry));
            }
            if (header.reasonCode() == 0x04) {
                closeAfterClientDisconnect("client disconnected with will message");
                return;
            }
        }
        will = null;
        closeAfterClientDisconnect("client disconnected");
    }

    /**
     * The client said it is going: it sends nothing more, so nothing is left unread and the socket closes once
     * what was written is flushed. Whatever came behind the DISCONNECT is ignored, as the connection is closed.
     */
    private void closeAfterClientDisconnect(String reason) {
        if (markClosed(reason)) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> ctx.close());
        }
    }

    private void refuse(MqttConnectReturnCode code, String reason) {
        MqttMessageBuilders.ConnAckBuilder connAck = MqttMessageBuilders.connAck().returnCode(code)
                .sessionPresent(false);
        if (isV5()) {
            connAck.properties(PropertyCodec.fitting(clientMaxPacketSize, 2, List.of(), reasonString(reason)));
        }
        write(connAck.build());
        close("refused: " + reason);
    }

    /** Closes the connection, first telling an MQTT 5 client why with a DISCONNECT and reason code. */
    private void disconnect(byte reasonCode, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        if (isV5() && state != State.AWAITING_CONNECT && state != State.CHECKING_PASSWORD) {
            MqttProperties p = PropertyCodec.fitting(clientMaxPacketSize, 1, List.of(), reasonString(reason));
            write(MqttMessageBuilders.disconnect().reasonCode(reasonCode).properties(p).build());
        }
        LOG.debugf("Closing connection of %s from %s: %s", clientId, remoteAddress(), reason);
        close(reason, ReasonCode.isProtocolViolation(reasonCode));
    }

    /** A Reason String property when {@code midge.reason-strings} is on; sent only where it fits. */
    private List<MqttProperty<?>> reasonString(String reason) {
        return config.reasonStrings() ? List.of(new StringProperty(MqttPropertyType.REASON_STRING.value(), reason))
                : List.of();
    }

    /** Closes this connection, not for breaking the protocol; the reason shows in the disconnect log line. */
    private void close(String reason) {
        close(reason, false);
    }

    /** Closes this connection as {@link OrderlyClose} does, so the client reads what was sent, then the end. */
    private void close(String reason, boolean protocolError) {
        if (markClosed(reason)) {
            OrderlyClose.close(ctx, protocolError);
            connectionEnded();
        }
    }

    /** False when it was closed already; otherwise it is now, for this reason. */
    private boolean markClosed(String reason) {
        if (state == State.CLOSED) {
            return false;
        }
        state = State.CLOSED;
        closeReason = reason;
        return true;
    }

    /** The broker is stopping: MQTT 5 clients hear why. */
    public void serverShuttingDown() {
        disconnect(ReasonCode.SERVER_SHUTTING_DOWN, "server shutting down");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state == State.CONNECTED && gate.isPaused()) {
            // What the client sent before closing still counts, a DISCONNECT among it too.
            gate.resume();
        }
        state = State.CLOSED;
        connectionEnded();
        ctx.fireChannelInactive();
    }

    /**
     * Once per connection, when the broker decides to close it or when the socket closes, whichever is first:
     * the session lets go of it and its will is published (or waits out its delay). Not later, when an
     * orderly close is done: a client that never closes its side (a dead one, whose keepalive ran out) would
     * hold back its will by as long as the broker waits for it.
     */
    private void connectionEnded() {
        if (ended) {
            return;
        }
        ended = true;
        if (accepted) {
            stats.clientDisconnected();
        }
        if (deadlines != null) {
            deadlines.end();
        }
        gate.release();
        if (session != null) {
            boolean willAllowed = will != null && accepted
                    && (!authorizer.isRestrictive() || authorizer.canPublish(identity, will.topic()));
            session.detach(this, willAllowed ? will : null, willDelay);
        }
        if (clientId != null) {
            LOG.infof("Client %s disconnected from %s (%s)", clientId, remoteAddress(), closeReason);
        } else {
            LOG.debugf("Connection from %s closed before CONNECT completed (%s)", remoteAddress(), closeReason);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (session != null && ctx.channel().isWritable()) {
            session.writable(this);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT, "keepalive timeout");
        } else if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            stats.tlsHandshakeFailure();
            close("TLS handshake failed: " + handshake.cause().getMessage());
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && state != State.CLOSED) {
            onMalformed(cause);
            return;
        }
        if (cause instanceof ReadTimeoutException) {
            // MQTT 5 has no reason code for a packet that arrives too slowly; Keep Alive timeout is the nearest.
            disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT, "packet not complete within midge.packet-read-timeout="
                    + config.packetReadTimeout());
            return;
        }
        if (cause instanceof ClosedChannelException) {
            // A packet written after the transport began to close: a WebSocket that has sent its Close frame
            // (Netty's answer to a framing error or to the client's Close) takes no more frames. Not a fault.
            close("transport closed");
            return;
        }
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
    public int receiveMaximum() {
        return clientReceiveMaximum;
    }

    @Override
    public boolean sendPublish(Message message, Delivery delivery, int packetId, boolean duplicate) {
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, duplicate,
                MqttQoS.valueOf(delivery.qos()), delivery.retain(), 0);
        if (!isV5()) {
            write(new MqttPublishMessage(header, new MqttPublishVariableHeader(message.topic(), packetId),
                    Unpooled.wrappedBuffer(message.payload())));
            sampleLatency(message, duplicate);
            return true;
        }
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
        if (packetSize(remaining) > clientMaxPacketSize) {
            stats.tooLarge();
            return false;
        }
        if (newAlias) {
            alias = aliases.assignOutbound(topic);
        }
        MqttProperties properties = PropertyCodec.write(message, delivery.subscriptionIds(), alias, now);
        write(new MqttPublishMessage(header, new MqttPublishVariableHeader(sentTopic, packetId, properties),
                Unpooled.wrappedBuffer(message.payload())));
        sampleLatency(message, duplicate);
        return true;
    }

    private void sampleLatency(Message message, boolean duplicate) {
        if (message.receivedNanos() != 0 && !duplicate) {
            stats.deliveryLatency(System.nanoTime() - message.receivedNanos());
        }
    }

    @Override
    public void sendPubRel(int packetId) {
        write(ack(MqttMessageType.PUBREL, MqttQoS.AT_LEAST_ONCE, packetId, ReasonCode.SUCCESS));
    }

    @Override
    public void sessionCongested() {
        if (gate.isPaused()) {
            gate.resume();
        }
    }

    @Override
    public void tooSlow() {
        if (markClosed("not reading while its publishers waited over midge.slow-subscriber-timeout="
                + config.slowSubscriberTimeout())) {
            stats.slowSubscriberDisconnected();
            // Not orderly, as close() is: what is buffered would never drain, and the client reads nothing anyway.
            ctx.close();
        }
    }

    @Override
    public void takenOver() {
        disconnect(ReasonCode.SESSION_TAKEN_OVER, "session taken over by another connection");
    }

    @Override
    public void closeByAdministrator() {
        disconnect(ReasonCode.ADMINISTRATIVE_ACTION, "disconnected by an administrator");
    }

    @Override
    public String protocol() {
        return describe(version);
    }

    private InetAddress remoteInetAddress() {
        return remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    @Override
    public SocketAddress remoteAddress() {
        return ctx.channel().remoteAddress();
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
        return 1 + PropertyCodec.variableByteIntegerLength(remainingLength) + remainingLength;
    }

    private MqttMessage ack(MqttMessageType type, MqttQoS qos, int packetId, byte reasonCode) {
        MqttMessageIdVariableHeader header = isV5()
                ? new MqttPubReplyMessageVariableHeader(packetId, reasonCode, MqttProperties.NO_PROPERTIES)
                : MqttMessageIdVariableHeader.from(packetId);
        return new MqttMessage(fixedHeader(type, qos), header);
    }

    private static MqttFixedHeader fixedHeader(MqttMessageType type, MqttQoS qos) {
        return new MqttFixedHeader(type, false, qos, false, 0);
    }

    private static int packetId(MqttMessage msg) {
        return ((MqttMessageIdVariableHeader) msg.variableHeader()).messageId();
    }

    private static String describe(MqttVersion version) {
        return switch (version) {
            case MQTT_3_1 -> "MQTT 3.1";
            case MQTT_3_1_1 -> "MQTT 3.1.1";
            case MQTT_5 -> "MQTT 5.0";
        };
    }
}
