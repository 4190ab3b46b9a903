package dev.midge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.limits.LimitKind;
import dev.midge.limits.Limits;
import dev.midge.limits.LimitsSettings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * midge.limits.connection-rate on a real loopback listener: connections beyond the burst are closed at accept,
 * before any handler of theirs exists, and counted; the rate's clock is the test's.
 */
@Timeout(30)
class AcceptRateLimitTest {

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final AtomicInteger initialized = new AtomicInteger();
    private long now = 0;

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A listener that greets each connection it keeps with one byte. */
    private int listen(Limits limits) {
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .handler(new AcceptRateLimit(limits, "test"))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        initialized.incrementAndGet();
                        channel.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {42}));
                            }

                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                // Reads are discarded.
                            }
                        });
                    }
                });
        Channel server = bootstrap.bind("127.0.0.1", 0).syncUninterruptibly().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** 42 when the listener kept the connection, -1 when it closed it. */
    private static int firstByte(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            try {
                return in.read();
            } catch (SocketException reset) {
                return -1;
            }
        }
    }

    @Test
    void connectionsBeyondTheBurstAreClosedAtAcceptAndCounted() throws IOException {
        Limits limits = new Limits(LimitsSettings.config(Map.of("midge.limits.connection-rate", "1",
                "midge.limits.connection-burst", "3")).limits(), () -> now);
        int port = listen(limits);
        for (int i = 0; i < 3; i++) {
            assertEquals(42, firstByte(port), "connection " + i + " within the burst");
        }
        assertEquals(-1, firstByte(port));
        assertEquals(-1, firstByte(port));
        assertEquals(3, initialized.get(), "nothing was set up for the refused ones");
        assertEquals(2, limits.counters().count(LimitKind.CONNECTION_RATE));

        now += 1_000_000_000L;
        assertEquals(42, firstByte(port), "one more a second later");
    }

    @Test
    void aReloadSetsTheRateOfARunningListenerAndTakesItAway() throws IOException {
        Limits limits = new Limits(LimitsSettings.config(Map.of()).limits(), () -> now);
        int port = listen(limits);
        for (int i = 0; i < 5; i++) {
            assertEquals(42, firstByte(port), "no rate: connection " + i + " kept");
        }
        limits.reload(LimitsSettings.config(Map.of("midge.limits.connection-rate", "1")).limits());
        assertEquals(42, firstByte(port), "a full burst of one");
        assertEquals(-1, firstByte(port), "the new rate holds");
        limits.reload(LimitsSettings.config(Map.of()).limits());
        assertEquals(42, firstByte(port), "no rate again");
        assertEquals(42, firstByte(port));
    }
}
