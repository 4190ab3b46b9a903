package dev.midge.transport;

import dev.midge.config.ExtraListenerConfig;
import dev.midge.config.ListenerAuthConfig;
import dev.midge.config.MidgeConfig;
import dev.midge.config.ServerCertificateConfig.IdentitySource;
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
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The MQTT listeners: plain TCP, TLS when a certificate is configured, and WebSocket (secure too, with a
 * certificate) when enabled, then each of {@code midge.listeners.<name>}. They run on Quarkus' own Vert.x
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
    private volatile Channel serverChannel;
    private volatile Channel tlsServerChannel;
    private volatile Channel webSocketServerChannel;
    private volatile Channel secureWebSocketServerChannel;
    /** The listeners with {@code midge.listener-auth.<name>} settings of their own, by name. */
    private final Map<String, FileSecurity> ownSecurity = new ConcurrentHashMap<>();
    /** The {@code midge.listeners.<name>} listeners by name. */
    private final Map<String, Channel> extraServerChannels = new ConcurrentHashMap<>();
    /** Each listener's connection slots, which count its open connections, by listener name. */
    private final Map<String, ListenerSlots> slotsByListener = new ConcurrentHashMap<>();

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
            serverChannel = bind(new ListenerSpec("mqtt", "midge.mqtt.", host, config.mqtt().port(), null, null,
                    null, config.mqtt().maxConnections()));
            LOG.infof("MQTT listener bound on %s:%d", host, port());
        }
        TlsContextSource tls = null;
        IdentitySource identity = config.tls().certificateIdentity();
        if (config.tls().certFile().isPresent()) {
            tls = new TlsContextSource(config.tls(), "midge.tls", watcher);
            tlsServerChannel = bind(new ListenerSpec("tls", "midge.tls.", host, config.tls().port(), tls, null,
                    identity, config.tls().maxConnections()));
            LOG.infof("MQTT TLS listener bound on %s:%d (client certificates: %s)", host, tlsPort(),
                    config.tls().clientAuth().name().toLowerCase());
        }
        if (config.websocket().enabled()) {
            String path = config.websocket().path();
            webSocketServerChannel = bind(new ListenerSpec("ws", "midge.websocket.", host, config.websocket().port(),
                    null, path, null, config.websocket().maxConnections()));
            LOG.infof("MQTT WebSocket listener bound on %s:%d, path %s", host, webSocketPort(), path);
            if (tls != null) {
                secureWebSocketServerChannel = bind(new ListenerSpec("wss", "midge.websocket.tls-", host,
                        config.websocket().tlsPort(), tls, path, identity, config.websocket().tlsMaxConnections()));
                LOG.infof("MQTT secure WebSocket listener bound on %s:%d, path %s", host, secureWebSocketPort(),
                        path);
            }
        }
        config.listeners().forEach(this::startExtra);
    }

    private void startExtra(String name, ExtraListenerConfig listener) {
        String prefix = "midge.listeners." + name;
        String host = listener.host().orElse(config.mqtt().host());
        TlsContextSource tls = listener.certFile().isPresent()
                ? new TlsContextSource(listener, prefix, watcher) : null;
        String path = listener.websocket() ? listener.websocketPath().orElse(config.websocket().path()) : null;
        Channel channel = bind(new ListenerSpec(name, prefix + ".", host, listener.port(), tls, path,
                listener.certificateIdentity(), listener.maxConnections()));
        extraServerChannels.put(name, channel);
        LOG.infof("MQTT%s%s listener %s bound on %s:%d%s%s", tls == null ? "" : " TLS",
                path == null ? "" : " WebSocket", name, host, portOf(channel), path == null ? "" : ", path " + path,
                tls == null ? "" : " (client certificates: " + listener.clientAuth().name().toLowerCase() + ")");
    }

    /** The listener's own {@code midge.listener-auth.<listener>} settings if it has some, else {@code midge.auth}'s. */
    private ListenerSecurity security(String listener) {
        ListenerAuthConfig auth = config.listenerAuth().get(listener);
        if (auth == null) {
            return sharedSecurity;
        }
        FileSecurity files = new FileSecurity("midge.listener-auth." + listener, auth.allowAnonymous(),
                auth.passwordFile(), auth.aclFile(), watcher, cryptoWorkers);
        ownSecurity.put(listener, files);
        return new ListenerSecurity(files, files);
    }

    private Channel bind(ListenerSpec spec) {
        ListenerSecurity security = security(spec.name());
        ListenerSlots slots = new ListenerSlots(spec.maxConnections(), spec.key("max-connections"), limiter);
        slotsByListener.put(spec.name(), slots);
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
                        accept(channel, spec, slots, security);
                    }
                });
        bootstrap.handler(new AcceptRateLimit(limits, spec.key("port")));
        try {
            return bootstrap.bind(spec.host(), spec.port()).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot bind an MQTT listener to " + spec.host() + ":" + spec.port()
                    + " (" + spec.hostKey() + ", " + spec.key("port") + "): " + e.getMessage(), e);
        }
    }

    private void accept(Channel channel, ListenerSpec spec, ListenerSlots slots, ListenerSecurity security) {
        String limitReached = slots.take();
        if (limitReached != null) {
            stats.connectionRefused();
            LOG.debugf("Refused connection from %s: %s reached", channel.remoteAddress(), limitReached);
            channel.close();
            return;
        }
        stats.connectionAccepted();
        channel.closeFuture().addListener(slots);
        channels.add(channel);
        TlsContextSource tls = spec.tls();
        pipeline.install(channel, tls == null ? null : tls.current(), spec.webSocketPath(), security,
                spec.identity());
    }

    /** Closes the listeners, then lets each connection finish within {@code midge.shutdown-timeout}. Blocks. */
    public void stop() {
        if (limiter == null) {
            return;
        }
        List<Channel> servers = new ArrayList<>(extraServerChannels.values());
        servers.addAll(Arrays.asList(serverChannel, tlsServerChannel, webSocketServerChannel,
                secureWebSocketServerChannel));
        for (Channel other : servers) {
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
                && (!webSocket || !tls || isActive(secureWebSocketServerChannel))
                && extraServerChannels.size() == config.listeners().size()
                && extraServerChannels.values().stream().allMatch(MqttListener::isActive);
    }

    private static boolean isActive(Channel channel) {
        return channel != null && channel.isActive();
    }

    /** Every configured listener, the built-in ones first, bound or not. */
    public List<ListenerState> states() {
        String host = config.mqtt().host();
        boolean tls = config.tls().certFile().isPresent();
        boolean webSocket = config.websocket().enabled();
        List<ListenerState> states = new ArrayList<>();
        if (config.mqtt().enabled()) {
            states.add(state("mqtt", "mqtt", host, config.mqtt().port(), serverChannel));
        }
        if (tls) {
            states.add(state("tls", "tls", host, config.tls().port(), tlsServerChannel));
        }
        if (webSocket) {
            states.add(state("ws", "ws", host, config.websocket().port(), webSocketServerChannel));
        }
        if (webSocket && tls) {
            states.add(state("wss", "wss", host, config.websocket().tlsPort(), secureWebSocketServerChannel));
        }
        for (String name : extraListeners()) {
            ExtraListenerConfig extra = config.listeners().get(name);
            states.add(state(name, ListenerState.kind(extra.websocket(), extra.certFile().isPresent()),
                    extra.host().orElse(host), extra.port(), extraServerChannels.get(name)));
        }
        return states;
    }

    private ListenerState state(String name, String kind, String host, int configuredPort, Channel channel) {
        ListenerSlots slots = slotsByListener.get(name);
        boolean bound = isActive(channel);
        return new ListenerState(name, kind, host, bound ? portOf(channel) : configuredPort, bound,
                slots == null ? 0 : slots.open());
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

    /** The listener's own {@code midge.listener-auth.<name>} security, or null when it uses {@code midge.auth}'s. */
    public FileSecurity ownSecurity(String listener) {
        return ownSecurity.get(listener);
    }

    /** The names of the {@code midge.listeners} listeners, sorted. */
    public Set<String> extraListeners() {
        return new TreeSet<>(config.listeners().keySet());
    }

    /** The bound port of the {@code midge.listeners.<name>} listener, or -1 when there is none. */
    public int port(String name) {
        return portOf(extraServerChannels.get(name));
    }

    /** The bound TLS port, or -1 when there is no TLS listener. */
    public int tlsPort() {
        return portOf(tlsServerChannel);
    }

    /** The bound plain MQTT port, useful when configured as 0; -1 when the plain listener is off. */
    public int port() {
        return portOf(serverChannel);
    }

    /** From a reload: whether connections from now on log Mosquitto's connection lines. */
    public void connectionMessages(boolean on) {
        pipeline.connectionMessages(on);
    }

    /** From a reload: the largest packet connections from now on take. */
    public void maxPacketSize(int max) {
        pipeline.maxPacketSize(max);
    }

    /** Connections currently open. */
    public int connectionCount() {
        return limiter.open();
    }
}
