package dev.midge.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code handshakes} scenario: {@code --connections} N logins, each a new TCP connection (with a full TLS
 * handshake under {@code --tls}: no session is resumed), CONNECT, CONNACK, DISCONNECT, close; {@code --threads}
 * of them at a time. Reports logins per second and the broker's CPU per login. The certificate is not checked:
 * this measures the broker's cost, on loopback.
 */
final class Handshakes {

    private Handshakes() {
    }

    static Result run(Options o) throws Exception {
        // Without a peer host and port the client keeps no session to resume: every handshake is a full one.
        SslContext tls = o.tls ? SslContextBuilder.forClient()
                .trustManager(InsecureTrustManagerFactory.INSTANCE).build() : null;
        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            AtomicInteger started = new AtomicInteger();
            AtomicLong done = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            CountDownLatch finished = new CountDownLatch(o.threads);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.deadline);
            double cpuBefore = o.brokerPid > 0 ? ProcStats.cpuSeconds(o.brokerPid) : 0;
            long start = System.nanoTime();
            for (int t = 0; t < o.threads; t++) {
                next(group, tls, o, started, done, failed, finished, deadline);
            }
            finished.await(o.deadline + 5L, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuAfter = o.brokerPid > 0 ? ProcStats.cpuSeconds(o.brokerPid) : 0;
            Result r = new Result("handshakes", o).put("tls", o.tls).put("concurrency", o.threads)
                    .put("logins", done.get()).put("failed", failed.get())
                    .put("logins_per_sec", done.get() / seconds);
            if (o.brokerPid > 0) {
                double cpu = cpuAfter - cpuBefore;
                r.put("broker_cpu_s", cpu)
                        .put("broker_cpu_ms_per_login", done.get() == 0 ? 0.0 : cpu * 1e3 / done.get());
            }
            return r;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** One login after the other on this chain, until N were started overall or the deadline passed. */
    private static void next(EventLoopGroup group, SslContext tls, Options o, AtomicInteger started, AtomicLong done,
            AtomicLong failed, CountDownLatch finished, long deadline) {
        int n = started.getAndIncrement();
        if (n >= o.connections || System.nanoTime() > deadline) {
            finished.countDown();
            return;
        }
        ChannelFuture connect = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, new Login(done, failed));
                    }
                })
                .connect(o.host, o.port);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                failed.incrementAndGet();
                next(group, tls, o, started, done, failed, finished, deadline);
                return;
            }
            Channel channel = connect.channel();
            channel.writeAndFlush(MqttMessageBuilders.connect().clientId("handshake-" + n)
                    .protocolVersion(MqttVersion.MQTT_3_1_1).cleanSession(true).keepAlive(60).build());
            channel.closeFuture().addListener(c -> next(group, tls, o, started, done, failed, finished, deadline));
        });
    }

    /** Counts a login when its CONNACK accepts it, then disconnects; a refusal or a close first is a failure. */
    private static final class Login extends SimpleChannelInboundHandler<MqttMessage> {
        private final AtomicLong done;
        private final AtomicLong failed;
        private boolean counted;

        Login(AtomicLong done, AtomicLong failed) {
            this.done = done;
            this.failed = failed;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
            if (msg instanceof MqttConnAckMessage ack && !counted) {
                counted = true;
                if (ack.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                    done.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
                ctx.writeAndFlush(MqttMessageBuilders.disconnect().build()).addListener(f -> ctx.close());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!counted) {
                counted = true;
                failed.incrementAndGet();
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
