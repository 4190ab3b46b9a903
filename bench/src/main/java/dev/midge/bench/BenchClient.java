package dev.midge.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A small asynchronous MQTT 3.1.1 client on Netty for load generation: QoS 0, 1 and 2 both ways, a bounded
 * window of unacknowledged publishes, and a callback with each received payload. All its work runs on its
 * channel's event loop.
 */
final class BenchClient extends SimpleChannelInboundHandler<MqttMessage> {

    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private final Consumer<ByteBuf> onMessage;
    private Channel channel;
    private int lastPacketId;
    private int inflight;
    private Runnable onWindowOpen = () -> { };

    private BenchClient(Consumer<ByteBuf> onMessage) {
        this.onMessage = onMessage;
    }

    /** Connects with a clean session and waits for CONNACK. */
    static BenchClient connect(EventLoopGroup group, String host, int port, String clientId,
            Consumer<ByteBuf> onMessage) throws Exception {
        return connect(group, host, port, clientId, true, onMessage);
    }

    /** Connects and waits for CONNACK. */
    static BenchClient connect(EventLoopGroup group, String host, int port, String clientId, boolean cleanSession,
            Consumer<ByteBuf> onMessage) throws Exception {
        return connect(group, new InetSocketAddress(host, port), null, clientId, cleanSession, onMessage);
    }

    /**
     * Connects from {@code local} (null: any address, an ephemeral port) and waits for CONNACK. A source
     * address of its own gives a connection its own range of ephemeral ports, which one address runs short of
     * at some 28,000 connections to one port (fewer while earlier runs' ports wait in TIME_WAIT).
     */
    static BenchClient connect(EventLoopGroup group, InetSocketAddress broker, InetSocketAddress local,
            String clientId, boolean cleanSession, Consumer<ByteBuf> onMessage) throws Exception {
        BenchClient client = new BenchClient(onMessage);
        Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new MqttDecoder(1 << 20), MqttEncoder.INSTANCE, client);
                    }
                })
                .connect(broker, local).sync().channel();
        client.channel = channel;
        channel.writeAndFlush(MqttMessageBuilders.connect().clientId(clientId)
                .protocolVersion(MqttVersion.MQTT_3_1_1).cleanSession(cleanSession).keepAlive(60).build());
        client.connected.get(30, TimeUnit.SECONDS);
        return client;
    }

    Channel channel() {
        return channel;
    }

    void subscribe(String filter, int qos) throws Exception {
        channel.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1)
                .addSubscription(MqttQoS.valueOf(qos), filter).build());
        subscribed.get(30, TimeUnit.SECONDS);
    }

    /** Unacknowledged QoS 1/2 publishes. Event loop only. */
    int inflight() {
        return inflight;
    }

    /** Runs when an acknowledgement frees a place in the window. Event loop only. */
    void onWindowOpen(Runnable r) {
        onWindowOpen = r;
    }

    /** Writes a PUBLISH without flushing. Event loop only. */
    void publish(String topic, ByteBuf payload, int qos) {
        int id = 0;
        if (qos > 0) {
            lastPacketId = lastPacketId == 65_535 ? 1 : lastPacketId + 1;
            id = lastPacketId;
            inflight++;
        }
        channel.write(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false,
                MqttQoS.valueOf(qos), false, 0), new MqttPublishVariableHeader(topic, id), payload),
                channel.voidPromise());
    }

    /** Sends PINGREQ, as an idle client does once per keepalive period. Any thread. */
    void ping() {
        channel.writeAndFlush(MqttMessage.PINGREQ, channel.voidPromise());
    }

    void disconnect() {
        if (channel.isActive()) {
            channel.writeAndFlush(MqttMessage.DISCONNECT).addListener(f -> channel.close());
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
        if (msg.decoderResult().isFailure()) {
            ctx.close();
            return;
        }
        switch (msg.fixedHeader().messageType()) {
            case CONNACK -> {
                MqttConnectReturnCode code = ((MqttConnAckMessage) msg).variableHeader().connectReturnCode();
                if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                    connected.complete(null);
                } else {
                    connected.completeExceptionally(new IllegalStateException("CONNACK " + code));
                }
            }
            case SUBACK -> subscribed.complete(null);
            case PUBLISH -> {
                MqttPublishMessage publish = (MqttPublishMessage) msg;
                onMessage.accept(publish.payload());
                int qos = publish.fixedHeader().qosLevel().value();
                if (qos == 1) {
                    ctx.write(ack(MqttMessageType.PUBACK, publish.variableHeader().packetId()),
                            ctx.voidPromise());
                } else if (qos == 2) {
                    ctx.write(ack(MqttMessageType.PUBREC, publish.variableHeader().packetId()),
                            ctx.voidPromise());
                }
            }
            case PUBREL -> ctx.write(ack(MqttMessageType.PUBCOMP, id(msg)), ctx.voidPromise());
            case PUBREC -> ctx.write(new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBREL, false,
                    MqttQoS.AT_LEAST_ONCE, false, 0), MqttMessageIdVariableHeader.from(id(msg))),
                    ctx.voidPromise());
            case PUBACK, PUBCOMP -> {
                inflight--;
                onWindowOpen.run();
            }
            default -> {
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            onWindowOpen.run();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connected.completeExceptionally(new IllegalStateException("connection closed"));
        subscribed.completeExceptionally(new IllegalStateException("connection closed"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private static MqttMessage ack(MqttMessageType type, int id) {
        return new MqttMessage(new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0),
                MqttMessageIdVariableHeader.from(id));
    }

    private static int id(MqttMessage msg) {
        return ((MqttMessageIdVariableHeader) msg.variableHeader()).messageId();
    }

    static ByteBuf payload(int publisher, long sequence, int size) {
        ByteBuf buf = Unpooled.buffer(size);
        buf.writeInt(publisher).writeLong(sequence).writeLong(System.nanoTime());
        buf.writeZero(size - buf.readableBytes());
        return buf;
    }
}
