package dev.midge.transport;

import dev.midge.config.ListenerAuthConfig;
import dev.midge.config.MidgeConfig;
import dev.midge.eventloop.EventLoops;
import dev.midge.limits.Limits;
import dev.midge.protocol.MqttConnection;
import dev.midge.protocol.MqttConnectionFactory;
import dev.midge.security.Authenticator;
import dev.midge.security.Authorizer;
import dev.midge.security.CryptoWorkers;
import dev.midge.security.FileSecurity;
import dev.midge.security.FileWatcher;
import dev.midge.security.ListenerSecurity;
import dev.midge.stats.BrokerStats;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import org.jboss.logging.Logger;

/**
 * The MQTT listeners: plain TCP, TLS when a certificate is configured, and WebSocket (secure too, with a
 * certificate) when enabled. They run on Quarkus' own Vert.x
 * event loops: Vert.x' acceptor group accepts and its event-loop group serves the connections, so Midge has
 * no I/O threads of its own.
 */
@ApplicationScoped
public class MqttListener {

    private static final Logger LOG = Logger.getLogger(MqttListener.class);
    /**
     * Netty's default read-buffer sizing (64 bytes to 64 KiB, starting at 2 KiB), shared: each channel would
     * otherwise keep an allocator object of its own. A read buffer lives only for the read.
     */
    private static final RecvByteBufAllocator RECEIVE_BUFFER_SIZES = new AdaptiveRecvByteBufAllocator();

    private final EventLoops loops;
    private final MidgeConfig config;
    private final MqttPipeline pipeline;
    private final BrokerStats stats;
    private final FileWatcher watcher;
    private final ListenerSecurity sharedSecurity;
    private final CryptoWorkers cryptoWorkers;
    private final Limits limits;
    private final ChannelGroup channels = new DefaultChannelGroup("mqtt", GlobalEventExecutor.INSTANCE);
    private ConnectionLimiter limiter;
    /** One listener for every connection's close, rather than one lambda each. */
    private final ChannelFutureListener releaseSlot = closed -> limiter.release();
    private volatile Channel serverChannel;
    private volatile Channel tlsServerChannel;
    private volatile Channel webSocketServerChannel;
    private volatile Channel secureWebSocketServerChannel;

    public MqttListener(EventLoops loops, MidgeConfig config, MqttConnectionFactory connections, BrokerStats stats,
            FileWatcher watcher, Authenticator authenticator, Authorizer authorizer, CryptoWorkers cryptoWorkers,
            Limits limits) {
        this.loops = loops;
        this.limits = limits;
        this.cryptoWorkers = cryptoWorkers;
        this.sharedSecurity = new ListenerSecurity(authenticator, authorizer);
        this.config = config;
        this.pipeline = new MqttPipeline(config, connections, stats, cryptoWorkers);
        this.stats = stats;
        this.watcher = watcher;
    }

    public void start() {
        limiter = new ConnectionLimiter(config.maxConnections());
        String host = config.mqtt().host();
        if (config.mqtt().enabled()) {
            serverChannel = bind(host, config.mqtt().port(), null, false, security("mqtt"), "midge.mqtt.port");
            LOG.infof("MQTT listener bound on %s:%d", host, port());
        }
        TlsContextSource tls = null;
        if (config.tls().certFile().isPresent()) {
            tls = new TlsContextSource(config.tls(), watcher);
            tlsServerChannel = bind(host, config.tls().port(), tls, false, security("tls"), "midge.tls.port");
            LOG.infof("MQTT TLS listener bound on %s:%d (client certificates: %s)", host, tlsPort(),
                    config.tls().clientAuth().name().toLowerCase());
        }
        if (config.websocket().enabled()) {
            webSocketServerChannel = bind(host, config.websocket().port(), null, true, security("ws"),
                    "midge.websocket.port");
            LOG.infof("MQTT WebSocket listener bound on %s:%d, path %s", host, webSocketPort(),
                    config.websocket().path());
            if (tls != null) {
                secureWebSocketServerChannel = bind(host, config.websocket().tlsPort(), tls, true, security("wss"),
                        "midge.websocket.tls-port");
                LOG.infof("MQTT secure WebSocket listener bound on %s:%d, path %s", host, secureWebSocketPort(),
                        config.websocket().path());
            }
        }
    }

    /** The listener's own {@code midge.listener-auth.<listener>} settings if it has some, else {@code midge.auth}'s. */
    private ListenerSecurity security(String listener) {
        ListenerAuthConfig auth = config.listenerAuth().get(listener);
        if (auth == null) {
            return sharedSecurity;
        }
        FileSecurity files = new FileSecurity("midge.listener-auth." + listener, auth.allowAnonymous(),
                auth.passwordFile(), auth.aclFile(), watcher, cryptoWorkers);
        return new ListenerSecurity(files, files);
    }

    private Channel bind(String host, int port, TlsContextSource tls, boolean webSocket, ListenerSecurity security,
            String portKey) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.acceptors(), loops.group())
                .channelFactory(loops.serverChannelFactory())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE_BUFFER_SIZES)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        accept(channel, tls, webSocket, security);
                    }
                });
        bootstrap.handler(new AcceptRateLimit(limits, portKey));
        try {
            return bootstrap.bind(host, port).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot bind an MQTT listener to " + host + ":" + port
                    + " (midge.mqtt.host, " + portKey + "): " + e.getMessage(), e);
        }
    }

    private void accept(Channel channel, TlsContextSource tls, boolean webSocket, ListenerSecurity security) {
        if (!limiter.tryAcquire()) {
            stats.connectionRefused();
            LOG.debugf("Refused connection from %s: midge.max-connections=%d reached", channel.remoteAddress(),
                    config.maxConnections());
            channel.close();
            return;
        }
        stats.connectionAccepted();
        channel.closeFuture().addListener(releaseSlot);
        channels.add(channel);
        pipeline.install(channel, tls == null ? null : tls.current(), webSocket, security);
    }

    /** Closes the listeners, then lets each connection finish within {@code midge.shutdown-timeout}. Blocks. */
    public void stop() {
        if (limiter == null) {
            return;
        }
        for (Channel other : new Channel[] {serverChannel, tlsServerChannel, webSocketServerChannel,
                secureWebSocketServerChannel}) {
            if (other != null) {
                other.close().syncUninterruptibly();
            }
        }
        for (Channel channel : channels) {
            MqttConnection connection = channel.pipeline().get(MqttConnection.class);
            if (connection != null) {
                channel.eventLoop().execute(connection::serverShuttingDown);
            }
        }
        if (!channels.newCloseFuture().awaitUninterruptibly(config.shutdownTimeout().toMillis())) {
            LOG.warnf("%d connection(s) still open after midge.shutdown-timeout=%s (clients not reading what was "
                    + "sent to them): closing them", channels.size(), config.shutdownTimeout());
        }
        channels.close().awaitUninterruptibly(1_000);
        LOG.info("MQTT listeners closed");
    }

    /** True while every configured listener accepts connections. */
    public boolean isBound() {
        boolean tls = config.tls().certFile().isPresent();
        boolean webSocket = config.websocket().enabled();
        return (!config.mqtt().enabled() || isActive(serverChannel)) && (!tls || isActive(tlsServerChannel))
                && (!webSocket || isActive(webSocketServerChannel))
                && (!webSocket || !tls || isActive(secureWebSocketServerChannel));
    }

    private static boolean isActive(Channel channel) {
        return channel != null && channel.isActive();
    }

    /** The bound WebSocket port, or -1 when there is no WebSocket listener. */
    public int webSocketPort() {
        return portOf(webSocketServerChannel);
    }

    /** The bound secure WebSocket port, or -1 when there is none. */
    public int secureWebSocketPort() {
        return portOf(secureWebSocketServerChannel);
    }

    private static int portOf(Channel channel) {
        return channel == null ? -1 : ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The bound TLS port, or -1 when there is no TLS listener. */
    public int tlsPort() {
        return portOf(tlsServerChannel);
    }

    /** The bound plain MQTT port, useful when configured as 0; -1 when the plain listener is off. */
    public int port() {
        return portOf(serverChannel);
    }

    /** Connections currently open. */
    public int connectionCount() {
        return limiter.open();
    }
}
