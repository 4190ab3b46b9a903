package dev.midge.fuzz;

import dev.midge.config.MidgeConfig;
import dev.midge.limits.Limits;
import dev.midge.persistence.BrokerStore;
import dev.midge.persistence.DisabledStore;
import dev.midge.protocol.MqttConnectionFactory;
import dev.midge.routing.Router;
import dev.midge.security.Authenticator;
import dev.midge.security.EnhancedAuthenticator;
import dev.midge.security.EnhancedAuthenticators;
import dev.midge.security.ListenerSecurity;
import dev.midge.security.LoginThrottle;
import dev.midge.session.SessionRegistry;
import dev.midge.stats.BrokerStats;
import dev.midge.testing.AllowAll;
import dev.midge.transport.MqttPipeline;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import jakarta.enterprise.inject.Instance;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The broker's connection-facing parts wired by hand, without Quarkus, with the store off: each connection is an
 * {@link EmbeddedChannel} carrying exactly the listener's pipeline. Connections need no Vert.x loop: a
 * connection and its session use the channel's own loop, and an embedded loop runs every task it is handed on
 * the calling thread.
 */
final class InMemoryBroker {

    private static final ListenerSecurity ANYONE = new ListenerSecurity(
            (clientId, username, password) -> CompletableFuture.completedFuture(Authenticator.Outcome.ACCEPTED),
            new AllowAll());

    private final MidgeConfig config;
    private final Router router;
    private final SessionRegistry sessions;
    private final MqttPipeline pipeline;

    InMemoryBroker(MidgeConfig config) {
        this.config = config;
        BrokerStore store = new DisabledStore();
        BrokerStats stats = new BrokerStats();
        router = new Router(store);
        Limits limits = new Limits(config);
        sessions = new SessionRegistry(router, stats, config, ANYONE.authorizer(), store, limits);
        EnhancedAuthenticators methods = new EnhancedAuthenticators(
                instanceOf(List.of(new FuzzChallenge())));
        MqttConnectionFactory connections = new MqttConnectionFactory(router, sessions, stats, config, methods,
                store, new LoginThrottle(config), limits);
        // TLS is not fuzzed here: nothing is ever handed to this executor.
        pipeline = new MqttPipeline(config, connections, stats, Runnable::run);
    }

    MidgeConfig config() {
        return config;
    }

    Router router() {
        return router;
    }

    SessionRegistry sessions() {
        return sessions;
    }

    /**
     * A new connection, active, with the listener's pipeline and then {@code last} (which sees what passes the
     * protocol handler).
     */
    EmbeddedChannel connect(boolean webSocket, ByteBufAllocator allocator, ChannelHandler last) {
        return new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.config().setAllocator(allocator);
                pipeline.install(channel, null, webSocket ? config.websocket().path() : null, ANYONE, null);
                channel.pipeline().addLast("last", last);
            }
        });
    }

    /** CDI's Instance, of which EnhancedAuthenticators only iterates. */
    @SuppressWarnings("unchecked")
    private static Instance<EnhancedAuthenticator> instanceOf(List<EnhancedAuthenticator> beans) {
        return (Instance<EnhancedAuthenticator>) Proxy.newProxyInstance(InMemoryBroker.class.getClassLoader(),
                new Class<?>[] {Instance.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "iterator" -> beans.iterator();
                    case "forEach" -> {
                        beans.forEach((Consumer<EnhancedAuthenticator>) args[0]);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
