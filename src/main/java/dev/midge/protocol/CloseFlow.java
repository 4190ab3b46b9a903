package dev.midge.protocol;

import static dev.midge.protocol.ConnectionContext.LOG;

import dev.midge.message.Message;
import dev.midge.protocol.ConnectionContext.Phase;
import dev.midge.security.Authorizer;
import dev.midge.session.CloseCause;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.ReadTimeoutException;
import java.nio.channels.ClosedChannelException;

/**
 * How a connection ends: the client's DISCONNECT, the broker's decision (a refusal, a broken rule, a takeover,
 * shutdown, a timeout) or the socket closing; and, once, what its session and will make of that.
 */
final class CloseFlow {

    private final ConnectionContext connection;
    private final InboundGate gate;
    private final Authorizer authorizer;
    private ConnectionDeadlines deadlines;
    private Message will;
    private long willDelay;
    /** Where a cluster keeps the will while the connection lasts, or null. */
    private String keptWill;
    private String closeReason = "connection lost";
    /** Set once the session has let go of this connection (see {@link #connectionEnded()}). */
    private boolean ended;

    CloseFlow(ConnectionContext connection, InboundGate gate, Authorizer authorizer) {
        this.connection = connection;
        this.gate = gate;
        this.authorizer = authorizer;
    }

    void startConnectTimer() {
        long timeout = connection.services.config().connectTimeout().toMillis();
        deadlines = new ConnectionDeadlines(connection.ctx, () -> close("not connected within " + timeout + " ms"));
        deadlines.awaitConnect(timeout);
    }

    void connected() {
        deadlines.connected();
        if (will != null && willAllowed()) {
            keptWill = connection.services.sessions().keepWill(connection.clientId, will, willDelay);
        }
    }

    private boolean willAllowed() {
        return will != null && connection.accepted
                && (!authorizer.isRestrictive() || authorizer.canPublish(connection.identity, will.topicName()));
    }

    void packetReceived() {
        if (deadlines != null) {
            deadlines.packetReceived();
        }
    }

    void readBurstEnded() {
        if (deadlines != null) {
            deadlines.readBurstEnded();
        }
    }

    /** The spec allows one and a half keepalive periods of silence. */
    void startKeepAlive(int keepAliveSeconds) {
        if (keepAliveSeconds > 0) {
            long limit = keepAliveSeconds * 1500L;
            deadlines.keepalive(limit);
        }
    }

    void will(Message message, long delaySeconds) {
        will = message;
        willDelay = delaySeconds;
    }

    void onMalformed(Throwable cause) {
        boolean awaitingConnect = connection.phase == Phase.AWAITING_CONNECT;
        if (awaitingConnect && cause instanceof MqttUnacceptableProtocolVersionException) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, cause.getMessage());
        } else if (awaitingConnect && cause instanceof MqttIdentifierRejectedException) {
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

    /** Keepalive ran out, or TLS failed; false for events that are not the connection's to handle. */
    boolean onEvent(Object event) {
        if (event instanceof IdleStateEvent) {
            disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT, "keepalive timeout");
            return true;
        }
        if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            connection.services.stats().tlsHandshakeFailure();
            close("TLS handshake failed: " + handshake.cause().getMessage());
            return true;
        }
        return false;
    }

    void onException(Throwable cause) {
        if (cause instanceof DecoderException && connection.phase != Phase.CLOSED) {
            onMalformed(cause);
        } else if (cause instanceof ReadTimeoutException) {
            // MQTT 5 has no reason code for a packet that arrives too slowly; Keep Alive timeout is the nearest.
            disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT, "packet not complete within midge.packet-read-timeout="
                    + connection.services.config().packetReadTimeout());
        } else if (cause instanceof ClosedChannelException) {
            // A packet written after the transport began to close: a WebSocket that has sent its Close frame
            // (Netty's answer to a framing error or to the client's Close) takes no more frames. Not a fault.
            close("transport closed");
        } else {
            LOG.debugf(cause, "Connection %s from %s failed", connection.clientId, connection.remoteAddress());
            close("error: " + cause.getMessage());
        }
    }

    void onDisconnect(MqttMessage msg) {
        ProtocolDialect dialect = connection.dialect;
        Integer expiry = dialect.disconnectExpiry(msg);
        if (expiry != null) {
            if (connection.connectExpiryInterval == 0 && expiry != 0) {
                disconnect(ReasonCode.PROTOCOL_ERROR, "Session Expiry Interval set on DISCONNECT after 0");
                return;
            }
            connection.sessionLoop.expiryInterval(Integer.toUnsignedLong(expiry));
        }
        if (dialect.disconnectKeepsWill(msg)) {
            closeAfterClientDisconnect("client disconnected with will message");
            return;
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
            connection.ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> connection.ctx.close());
        }
    }

    void refuse(MqttConnectReturnCode code, String reason) {
        connection.write(connection.dialect.refusal(code, reason));
        close("refused: " + reason);
    }

    /** Closes the connection, first telling an MQTT 5 client why with a DISCONNECT and reason code. */
    void disconnect(byte reasonCode, String reason) {
        if (connection.phase == Phase.CLOSED) {
            return;
        }
        if (connection.phase != Phase.AWAITING_CONNECT && connection.phase != Phase.CHECKING_PASSWORD) {
            MqttMessage disconnect = connection.dialect.disconnect(reasonCode, reason);
            if (disconnect != null) {
                connection.write(disconnect);
            }
        }
        LOG.debugf("Closing connection of %s from %s: %s", connection.clientId, connection.remoteAddress(), reason);
        close(reason, ReasonCode.isProtocolViolation(reasonCode));
    }

    void disconnect(ProtocolDialect.Violation violation) {
        disconnect(violation.reasonCode(), violation.getMessage());
    }

    /** The session closes its connection. */
    void close(CloseCause cause) {
        switch (cause) {
            case TOO_SLOW -> {
                if (markClosed("not reading while its publishers waited over midge.slow-subscriber-timeout="
                        + connection.services.config().slowSubscriberTimeout())) {
                    connection.services.stats().slowSubscriberDisconnected();
                    // Not orderly: what is buffered would never drain, and the client reads nothing anyway.
                    connection.ctx.close();
                }
            }
            case TAKEN_OVER -> disconnect(ReasonCode.SESSION_TAKEN_OVER, "session taken over by another connection");
            case ADMINISTRATOR -> disconnect(ReasonCode.ADMINISTRATIVE_ACTION, "disconnected by an administrator");
        }
    }

    /** Closes this connection, not for breaking the protocol; the reason shows in the disconnect log line. */
    void close(String reason) {
        close(reason, false);
    }

    /** Closes this connection as {@link OrderlyClose} does, so the client reads what was sent, then the end. */
    void close(String reason, boolean protocolError) {
        if (markClosed(reason)) {
            OrderlyClose.close(connection.ctx, protocolError);
            connectionEnded();
        }
    }

    /** False when it was closed already; otherwise it is now, for this reason. */
    private boolean markClosed(String reason) {
        if (connection.phase == Phase.CLOSED) {
            return false;
        }
        connection.phase = Phase.CLOSED;
        closeReason = reason;
        return true;
    }

    void channelInactive() {
        if (connection.phase == Phase.CONNECTED && gate.isPaused()) {
            // What the client sent before closing still counts, a DISCONNECT among it too.
            gate.resume();
        }
        connection.phase = Phase.CLOSED;
        connectionEnded();
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
        if (connection.accepted) {
            connection.services.stats().clientDisconnected();
        }
        if (deadlines != null) {
            deadlines.end();
        }
        gate.release();
        if (connection.limits != null) {
            connection.limits.ended();
        }
        if (connection.session != null) {
            connection.session.detach(connection.connection, willAllowed() ? will : null, willDelay);
        }
        connection.services.sessions().willSettled(keptWill);
        if (connection.clientId != null) {
            LOG.infof("Client %s disconnected from %s (%s)", connection.clientId, connection.remoteAddress(),
                    closeReason);
        } else {
            LOG.debugf("Connection from %s closed before CONNECT completed (%s)", connection.remoteAddress(),
                    closeReason);
        }
    }
}
