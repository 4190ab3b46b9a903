package dev.midge.eventloop;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Quarkus' Vert.x event loops as Netty sees them: the groups, and the channel classes of Vert.x' transport
 * (epoll or NIO). Vert.x exposes these only through its internal API, which may change between releases, so
 * this is the one class that reaches into it.
 */
@ApplicationScoped
public class EventLoops {

    private final VertxInternal vertx;

    @Inject
    public EventLoops(Vertx vertx) {
        this.vertx = (VertxInternal) vertx;
    }

    /** The loops that serve connections, sessions, bridges and integrations. */
    public EventLoopGroup group() {
        return vertx.getEventLoopGroup();
    }

    /** The group that accepts connections on server sockets. */
    public EventLoopGroup acceptors() {
        return vertx.getAcceptorEventLoopGroup();
    }

    /** One loop, round-robin, for work that needs a home of its own (a recovered session, a bridge). */
    public EventLoop next() {
        return (EventLoop) group().next();
    }

    public ChannelFactory<? extends ServerChannel> serverChannelFactory() {
        return vertx.transport().serverChannelFactory(false);
    }

    public ChannelFactory<? extends Channel> clientChannelFactory() {
        return vertx.transport().channelFactory(false);
    }

    /**
     * Runs an empty task through every running loop {@code passes} times, one pass after the other, so that
     * what each loop had queued, and what that queued on another loop in turn, has run. Blocks: never call it
     * on an event loop.
     */
    public void passThroughAll(int passes, Duration timeoutPerPass) {
        for (int pass = 0; pass < passes; pass++) {
            List<Future<?>> tasks = new ArrayList<>();
            for (EventExecutor loop : group()) {
                if (!loop.isShuttingDown()) {
                    tasks.add(loop.submit(() -> { }));
                }
            }
            for (Future<?> task : tasks) {
                task.awaitUninterruptibly(timeoutPerPass.toMillis());
            }
        }
    }
}
