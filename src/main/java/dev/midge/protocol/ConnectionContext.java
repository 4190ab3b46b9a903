package dev.midge.protocol;

import dev.midge.security.ClientIdentity;
import dev.midge.session.Session;
import dev.midge.session.SessionConnection;
import dev.midge.session.SessionLoop;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.jboss.logging.Logger;

/**
 * What the flows of one connection share: its channel, its phase, the client and session once known, and the
 * writes, flushed once per burst. Lives on the channel's event loop, as everything of a connection does.
 */
final class ConnectionContext {

    /** The connection's log lines keep the category operators know, whichever flow writes them. */
    static final Logger LOG = Logger.getLogger(MqttConnection.class);

    /** CHECKING_PASSWORD: the hash runs off the loop; what the client sends meanwhile is held back. */
    enum Phase { AWAITING_CONNECT, CHECKING_PASSWORD, AUTHENTICATING, CONNECTING, CONNECTED, CLOSED }

    final ChannelHandlerContext ctx;
    final ConnectionServices services;
    /** The connection as its session sees it. */
    final SessionConnection connection;
    /** {@code midge.retain-available} as the connection opened: its CONNACK, will and PUBLISHes keep to it. */
    final boolean retainAvailable;
    private final Runnable flush = this::flush;
    private boolean flushScheduled;

    Phase phase = Phase.AWAITING_CONNECT;
    /** MQTT 3.1.1 until the CONNECT says otherwise. */
    ProtocolDialect dialect = Mqtt3Dialect.MQTT_3_1_1;
    String clientId;
    ClientIdentity identity;
    Session session;
    /** The session's loop-confined part, once attached: only this connection's loop, the session's, touches it. */
    SessionLoop sessionLoop;
    /** The session expiry interval the CONNECT asked for. */
    long connectExpiryInterval;
    /** True once CONNACK accepted the client: only then does an abrupt close publish the will. */
    boolean accepted;
    /** What midge.limits asks of the client's PUBLISHes; null for the many clients without a limit. */
    InboundLimits limits;
    /** The {@link dev.midge.limits.Limits#generation()} {@link #limits} were resolved in. */
    int limitsGeneration;

    ConnectionContext(ChannelHandlerContext ctx, ConnectionServices services, SessionConnection connection) {
        this.ctx = ctx;
        this.services = services;
        this.connection = connection;
        this.retainAvailable = services.publishTerms().retainAvailable();
    }

    boolean isConnected() {
        return phase == Phase.CONNECTED;
    }

    /** Writes now and flushes once after the current burst of work on this loop. */
    void write(MqttMessage msg) {
        writeAndFlushLater(msg);
    }

    /** As {@link #write(MqttMessage)}, for a packet encoded already. */
    void write(ByteBuf packet) {
        writeAndFlushLater(packet);
    }

    private void writeAndFlushLater(Object msg) {
        ctx.write(msg, ctx.voidPromise());
        if (!flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(flush);
        }
    }

    private void flush() {
        flushScheduled = false;
        ctx.flush();
    }

    SocketAddress remoteAddress() {
        return ctx.channel().remoteAddress();
    }

    InetAddress remoteInetAddress() {
        return remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
