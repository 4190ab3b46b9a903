package dev.midge.transport;

import dev.midge.config.MidgeConfig;
import dev.midge.config.ServerCertificateConfig.IdentitySource;
import dev.midge.config.WebSocketConfig;
import dev.midge.protocol.MqttConnectionFactory;
import dev.midge.security.ListenerSecurity;
import dev.midge.stats.BrokerStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.Executor;

/**
 * The handlers of one MQTT connection, from raw bytes to the protocol handler. Every listener builds its
 * connections here, and tests that drive a connection in memory build the very same pipeline.
 */
public final class MqttPipeline {

    /** MQTT 3.1 limits client ids to 23 characters; common clients send longer ones and other brokers accept them. */
    private static final int MAX_CLIENT_ID_LENGTH = 65_535;

    /** What MQTT clients ask for in Sec-WebSocket-Protocol: {@code mqtt}, and {@code mqttv3.1} for MQTT 3.1. */
    private static final String WEBSOCKET_SUBPROTOCOLS = "mqtt,mqttv3.1";

    private final MidgeConfig config;
    private final MqttConnectionFactory connections;
    private final TrafficCounter traffic;
    private final BrokerStats stats;
    private final Executor handshakeWork;
    private volatile boolean connectionMessages;
    private volatile int maxPacketSize;

    /**
     * @param handshakeWork runs the TLS handshake's delegated tasks (the key exchange and certificate work),
     *        which would otherwise run on the event loop and stall its other connections meanwhile
     */
    public MqttPipeline(MidgeConfig config, MqttConnectionFactory connections, BrokerStats stats,
            Executor handshakeWork) {
        this.config = config;
        this.handshakeWork = handshakeWork;
        this.connections = connections;
        this.traffic = new TrafficCounter(stats);
        this.stats = stats;
        this.connectionMessages = config.log().connectionMessages();
        this.maxPacketSize = config.maxPacketSize();
    }

    /** From a reload: the largest packet connections from now on take (and announce to MQTT 5 clients). */
    public void maxPacketSize(int max) {
        maxPacketSize = max;
    }

    /** From a reload: whether connections from now on log Mosquitto's connection lines. */
    public void connectionMessages(boolean on) {
        connectionMessages = on;
    }

    /**
     * @param tls the server's TLS context, or null for a plain connection
     * @param webSocketPath the HTTP path of the WebSocket upgrade ({@link WebSocketConfig#ANY_PATH} for any), or
     *        null when MQTT arrives over TCP
     * @param security the authenticator and authorizer of the listener the connection came through
     * @param certificateIdentity the client certificate's name that is the user name, or null for the CONNECT's
     */
    public void install(Channel channel, SslContext tls, String webSocketPath, ListenerSecurity security,
            IdentitySource certificateIdentity) {
        ChannelPipeline pipeline = channel.pipeline();
        // One value for the whole connection, though a reload may change it meanwhile.
        int maxPacketSize = this.maxPacketSize;
        pipeline.addLast("traffic", traffic);
        if (tls != null) {
            pipeline.addLast("tls", tls.newHandler(channel.alloc(), handshakeWork));
        }
        if (webSocketPath != null) {
            boolean anyPath = webSocketPath.equals(WebSocketConfig.ANY_PATH);
            pipeline.addLast("http", new HttpServerCodec())
                    .addLast("http-aggregator", new HttpObjectAggregator(8192))
                    .addLast("websocket", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                            // Every path starts with "/".
                            .websocketPath(anyPath ? "/" : webSocketPath)
                            .checkStartsWith(anyPath)
                            .subprotocols(WEBSOCKET_SUBPROTOCOLS)
                            .maxFramePayloadLength(maxPacketSize)
                            .handshakeTimeoutMillis(config.connectTimeout().toMillis())
                            .build()))
                    .addLast("not-websocket", new NotFoundForPlainHttp(webSocketPath))
                    .addLast("websocket-frames", new WebSocketFrames());
        }
        MqttFrameSplitter splitter = new MqttFrameSplitter(maxPacketSize, config.maxUserProperties(),
                config.packetReadTimeout().toNanos(), stats);
        pipeline.addLast("frames", splitter)
                .addLast("decoder", new MqttDecoder(maxPacketSize, MAX_CLIENT_ID_LENGTH))
                .addLast("decoded", splitter.decodedMarker())
                .addLast("encoder", MqttEncoder.INSTANCE);
        if (connectionMessages) {
            pipeline.addLast("connection-messages", new ConnectionMessages());
        }
        pipeline.addLast("mqtt", connections.create(security, tls == null ? null : certificateIdentity,
                maxPacketSize));
    }
}
