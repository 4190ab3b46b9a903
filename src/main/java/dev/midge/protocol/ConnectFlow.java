package dev.midge.protocol;

import static dev.midge.protocol.ConnectionContext.LOG;

import dev.midge.config.ServerCertificateConfig.IdentitySource;
import dev.midge.protocol.ConnectionContext.Phase;
import dev.midge.security.Authorizer;
import dev.midge.security.ClientIdentity;
import dev.midge.security.EnhancedAuthenticator;
import dev.midge.security.EnhancedAuthenticator.AuthExchange;
import dev.midge.security.EnhancedAuthenticator.AuthStep;
import dev.midge.session.SessionRegistry;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.CompletableFuture;

/**
 * CONNECT and AUTH: reads the CONNECT and chooses the connection's dialect, checks who the client is (password,
 * certificate or an MQTT 5 enhanced authentication exchange, and re-authentication later), attaches the
 * session and answers with CONNACK.
 */
final class ConnectFlow {

    private final ConnectionContext connection;
    private final CloseFlow close;
    private final InboundGate gate;
    private final PasswordLogin login;
    private final Authorizer authorizer;
    /** Where the user name comes from: null for the CONNECT's, else that name of the client certificate. */
    private final IdentitySource certificateIdentity;
    private final int maxPacketSize;
    /** MQTT 5 enhanced authentication: the method, the exchange under way, and the CONNECT it completes. */
    private String authMethod;
    private AuthExchange authExchange;
    private MqttConnectVariableHeader pendingHeader;
    private ConnectRequest pendingRequest;
    private byte[] authSuccessData;

    ConnectFlow(ConnectionContext connection, CloseFlow close, InboundGate gate, PasswordLogin login,
            Authorizer authorizer, IdentitySource certificateIdentity, int maxPacketSize) {
        this.connection = connection;
        this.maxPacketSize = maxPacketSize;
        this.close = close;
        this.gate = gate;
        this.login = login;
        this.authorizer = authorizer;
        this.certificateIdentity = certificateIdentity;
    }

    void onConnect(MqttConnectMessage connect) {
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttVersion version = MqttVersion.fromProtocolNameAndLevel(header.name(), (byte) header.version());
        ConnectionServices services = connection.services;
        ProtocolDialect dialect = ProtocolDialect.of(version, services.config(), maxPacketSize);
        connection.dialect = dialect;
        dialect.connecting(connect, connection.ctx.channel());
        ConnectRequest request;
        try {
            request = ConnectRequest.read(connect, dialect, services.config(), services.keepalive().max(),
                    connection.retainAvailable, services.authenticators());
        } catch (ConnectRequest.Refused refused) {
            if (refused.code() == null) {
                close.close(refused.getMessage(), true);
            } else {
                close.refuse(refused.code(), refused.getMessage());
            }
            return;
        }
        connection.connectExpiryInterval = request.expiryInterval();
        dialect.connected(request);
        close.will(request.will(), request.willDelay());
        String id = request.clientId();
        connection.clientId = id;
        String username = request.username();
        if (certificateIdentity != null) {
            username = CertificateIdentity.of(connection.ctx.pipeline().get(SslHandler.class), certificateIdentity);
            if (username == null) {
                services.stats().authFailure();
                close.refuse(dialect.notAuthorized(), "no client certificate, or none with an identity");
                return;
            }
        }
        connection.identity = new ClientIdentity(id, username);
        if (FlappingGuard.refuseBanned(connection, close)) {
            return;
        }
        if (request.enhanced() != null || certificateIdentity != null) {
            proceed(header, request);
            return;
        }
        connection.phase = Phase.CHECKING_PASSWORD;
        login.check(connection.ctx.executor(), connection.remoteInetAddress(), id, username, request.password(),
                dialect, refusal -> {
                    // Closed while the password was checked: nothing may open a session for it now.
                    if (connection.phase != Phase.CHECKING_PASSWORD) {
                        return;
                    }
                    if (refusal != null) {
                        close.refuse(refusal.code(), refusal.reason());
                    } else {
                        proceed(header, request);
                    }
                });
    }

    /** The client is who it says (or enhanced authentication will tell): keepalive, then the session. */
    private void proceed(MqttConnectVariableHeader header, ConnectRequest request) {
        close.startKeepAlive(request.keepAlive());
        EnhancedAuthenticator enhanced = request.enhanced();
        if (enhanced == null) {
            connectSession(header, request);
            return;
        }
        connection.phase = Phase.AUTHENTICATING;
        authMethod = request.authMethod();
        pendingHeader = header;
        pendingRequest = request;
        authExchange = enhanced.begin(connection.clientId);
        authStep(authExchange.respond(PropertyCodec.binary(header.properties(),
                MqttPropertyType.AUTHENTICATION_DATA)));
    }

    private void connectSession(MqttConnectVariableHeader header, ConnectRequest request) {
        if (FlappingGuard.refuseFlapping(connection, close)) {
            return;
        }
        connection.limitsGeneration = connection.services.limits().generation();
        connection.limits = InboundLimits.of(connection, close, gate);
        connection.phase = Phase.CONNECTING;
        connection.ctx.channel().config().setAutoRead(false);
        openSession(header, request.idAssigned(), request.serverKeepAlive(), true);
    }

    /** An AUTH packet: the next step of authentication, or a client starting re-authentication. */
    void onAuth(MqttMessage msg) {
        var header = (MqttReasonCodeAndPropertiesVariableHeader) msg.variableHeader();
        MqttProperties properties = header == null ? MqttProperties.NO_PROPERTIES : header.properties();
        String method = PropertyCodec.string(properties, MqttPropertyType.AUTHENTICATION_METHOD);
        byte reason = header == null ? ReasonCode.SUCCESS : header.reasonCode();
        if (authMethod == null || !authMethod.equals(method)) {
            close.disconnect(ReasonCode.PROTOCOL_ERROR, "AUTH with a method other than CONNECT's");
            return;
        }
        if (connection.phase == Phase.CONNECTED && reason == ReasonCode.REAUTHENTICATE) {
            authExchange = connection.services.authenticators().find(authMethod).begin(connection.clientId);
        } else if (reason != ReasonCode.CONTINUE_AUTHENTICATION || authExchange == null) {
            close.disconnect(ReasonCode.PROTOCOL_ERROR, "unexpected AUTH reason code " + (reason & 0xFF));
            return;
        }
        authStep(authExchange.respond(PropertyCodec.binary(properties, MqttPropertyType.AUTHENTICATION_DATA)));
    }

    private void authStep(AuthStep step) {
        boolean connecting = connection.phase == Phase.AUTHENTICATING;
        switch (step.outcome()) {
            case CONTINUE -> connection.write(MqttMessageBuilders.auth()
                    .reasonCode(ReasonCode.CONTINUE_AUTHENTICATION).properties(authProperties(step.data())).build());
            case SUCCESS -> {
                authExchange = null;
                if (connecting) {
                    authSuccessData = step.data();
                    connectSession(pendingHeader, pendingRequest);
                } else {
                    connection.write(MqttMessageBuilders.auth().reasonCode(ReasonCode.SUCCESS)
                            .properties(authProperties(step.data())).build());
                }
            }
            case FAILURE -> {
                authExchange = null;
                if (connecting) {
                    close.refuse(connection.dialect.notAuthorized(), "authentication failed");
                } else {
                    close.disconnect(ReasonCode.NOT_AUTHORIZED, "re-authentication failed");
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

    /** Brings the session to this node first when a cluster keeps it elsewhere; at once otherwise. */
    private void openSession(MqttConnectVariableHeader header, boolean assigned, int serverKeepAlive,
            boolean retry) {
        CompletableFuture<Void> prepared = connection.services.sessions().prepare(connection.clientId,
                header.isCleanSession(), connection.ctx.channel().eventLoop()).toCompletableFuture();
        if (prepared.isDone()) {
            openPrepared(header, assigned, serverKeepAlive, retry);
            return;
        }
        prepared.whenComplete((ignored, failure) -> connection.ctx.executor().execute(() -> {
            if (connection.phase == Phase.CONNECTING) {
                openPrepared(header, assigned, serverKeepAlive, retry);
            }
        }));
    }

    private void openPrepared(MqttConnectVariableHeader header, boolean assigned, int serverKeepAlive,
            boolean retry) {
        SessionRegistry.Opened opened = connection.services.sessions().open(connection.clientId,
                header.isCleanSession(), connection.connectExpiryInterval, connection.ctx.channel().eventLoop());
        connection.session = opened.session();
        connection.session.attach(connection.connection, connection.identity, authorizer,
                connection.connectExpiryInterval, attached -> {
                    if (connection.phase != Phase.CONNECTING) {
                        return;
                    }
                    if (attached != null) {
                        connection.sessionLoop = attached;
                        onAttached(opened.present(), header, assigned, serverKeepAlive);
                    } else if (retry) {
                        // The session ended between lookup and attach; the next lookup makes a new one.
                        openSession(header, assigned, serverKeepAlive, false);
                    } else {
                        close.close("session ended while connecting");
                    }
                });
    }

    private void onAttached(boolean sessionPresent, MqttConnectVariableHeader header, boolean assigned,
            int serverKeepAlive) {
        connection.phase = Phase.CONNECTED;
        connection.accepted = true;
        connection.services.stats().clientConnected();
        close.connected();
        pendingHeader = null;
        pendingRequest = null;
        MqttProperties auth = authMethod == null ? null : authProperties(authSuccessData);
        connection.write(connection.dialect.connAck(sessionPresent,
                new ProtocolDialect.ConnAckDetails(connection.clientId, assigned, serverKeepAlive, auth,
                        connection.retainAvailable)));
        LOG.infof("Client %s connected from %s (%s, %s, keepalive %ds)", connection.clientId,
                connection.remoteAddress(), connection.dialect.describe(),
                header.isCleanSession() ? "clean start" : "resumed session", header.keepAliveTimeSeconds());
        gate.resume();
    }
}
