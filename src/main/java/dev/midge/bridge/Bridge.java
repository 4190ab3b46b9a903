package dev.midge.bridge;

import dev.midge.config.BridgeConfig;
import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.MessageProperties;
import dev.midge.persistence.BrokerStore;
import dev.midge.routing.Router;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * One bridge to a remote MQTT broker, as Mosquitto's {@code connection}: local messages on its {@code out}
 * topics go to the remote broker, remote messages on its {@code in} topics are published here, prefixes
 * swapped. It speaks MQTT 5 to the remote broker, so that its remote subscriptions can ask for No Local and
 * the remote broker does not echo what the bridge sent; locally it subscribes with No Local under its own
 * id, which every message it brings in carries as origin, so nothing crosses the bridge twice.
 *
 * <p>All of a bridge's state lives on one event loop. While the remote broker is away, outgoing QoS 1/2
 * messages wait in a bounded queue (QoS 0 ones are dropped), and the bridge reconnects with a backoff that
 * doubles up to its maximum; messages in flight when the connection drops are sent again (at least once).
 */
public final class Bridge implements BridgeSubscriber {

    private static final Logger LOG = Logger.getLogger(Bridge.class);
    private static final int MAX_PACKET_SIZE = 268_435_455;

    private final String name;
    private final String localId;
    private final String remoteClientId;
    private final BridgeConfig config;
    private final List<BridgeTopic> topics;
    private final String host;
    private final int port;
    private final Router router;
    private final BrokerStore store;
    private final EventLoop loop;
    private final ChannelFactory<? extends Channel> channels;
    private final BridgeTls tls;

    private final BridgeOutbound outbound;
    private final Set<Integer> awaitingRelease = new HashSet<>();
    private Channel channel;
    private long reconnectDelayMillis;
    private boolean stopped = true;
    /** Counts starts and stops, so that what an earlier run scheduled or opened is told from the current one. */
    private int run;
    private boolean running;
    private int acknowledgementsWaiting;

    private volatile boolean connected;
    private final LongAdder messagesIn = new LongAdder();

    Bridge(String name, BridgeConfig config, List<BridgeTopic> topics, BridgeTls tls, Router router,
            BrokerStore store, EventLoop loop, ChannelFactory<? extends Channel> channels) {
        this.name = name;
        this.tls = tls;
        this.localId = BridgeSubscriber.localId(name);
        this.remoteClientId = config.clientId().orElse("midge-bridge-" + name);
        this.config = config;
        this.topics = topics;
        int colon = config.address().lastIndexOf(':');
        this.host = colon < 0 ? config.address() : config.address().substring(0, colon);
        this.port = colon < 0 ? 1883 : Integer.parseInt(config.address().substring(colon + 1));
        this.router = router;
        this.store = store;
        this.loop = loop;
        this.channels = channels;
        this.reconnectDelayMillis = config.reconnectDelay().toMillis();
        this.outbound = new BridgeOutbound(config.maxQueued());
    }

    public String name() {
        return name;
    }

    public String address() {
        return (tls == null ? "" : "tls:") + host + ":" + port;
    }

    public boolean isConnected() {
        return connected;
    }

    public boolean isRequired() {
        return config.required();
    }

    public int queued() {
        return outbound.queued();
    }

    public long messagesIn() {
        return messagesIn.sum();
    }

    public long messagesOut() {
        return outbound.messagesOut();
    }

    public long messagesDropped() {
        return outbound.messagesDropped();
    }

    /** Subscribes to the out topics and connects. Nothing happens when it runs already. */
    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        BridgeSubscriber.subscribeOut(router, topics, this);
        loop.execute(() -> {
            stopped = false;
            run++;
            reconnectDelayMillis = config.reconnectDelay().toMillis();
            connect(run);
        });
    }

    /**
     * Unsubscribes, disconnects and drops what waits for the remote broker; nothing it receives afterwards is
     * published here. It may be started again.
     */
    synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        BridgeSubscriber.unsubscribeOut(router, topics, this);
        loop.submit(() -> {
            stopped = true;
            run++;
            Channel open = channel;
            if (open != null && connected) {
                open.writeAndFlush(MqttMessage.DISCONNECT).addListener(f -> open.close());
            } else if (open != null) {
                open.close();
            }
            connected = false;
            channel = null;
            outbound.disconnected();
            outbound.dropAll();
            awaitingRelease.clear();
        }).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    /** Whether it is started: on every node when clustering is off, on its owner only when on. */
    public synchronized boolean isRunning() {
        return running;
    }

    // The local side: a subscriber to the out topics.

    @Override
    public String clientId() {
        return localId;
    }

    @Override
    public void deliver(Message message, Delivery delivery) {
        loop.execute(() -> outgoing(message, delivery));
    }

    @Override
    public boolean isOnline() {
        return connected;
    }

    private void outgoing(Message message, Delivery delivery) {
        String remote = BridgeTopic.toRemote(topics, message.topic());
        if (remote == null || stopped || message.isExpiredNow()) {
            return;
        }
        outbound.offer(remote, message, delivery);
    }

    // The remote side: one MQTT 5 client connection at a time.

    private void connect(int attempt) {
        if (stopped || attempt != run) {
            return;
        }
        new Bootstrap().group(loop).channelFactory(channels)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channel = ch;
                        int keepalive = config.keepalive();
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline()
                                .addLast(new IdleStateHandler(keepalive * 3L / 2, keepalive, 0, TimeUnit.SECONDS))
                                .addLast(new MqttDecoder(MAX_PACKET_SIZE))
                                .addLast(MqttEncoder.INSTANCE)
                                .addLast(new Remote(attempt));
                    }
                })
                .connect(host, port).addListener(f -> {
                    if (!f.isSuccess()) {
                        LOG.warnf("Bridge %s cannot reach %s: %s", name, address(), f.cause().getMessage());
                        reconnectLater(attempt);
                    }
                });
    }

    private void reconnectLater(int attempt) {
        if (stopped || attempt != run) {
            return;
        }
        long delay = reconnectDelayMillis;
        reconnectDelayMillis = Math.min(delay * 2, config.maxReconnectDelay().toMillis());
        loop.schedule(() -> connect(attempt), delay, TimeUnit.MILLISECONDS);
    }

    private void connected(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        connected = true;
        reconnectDelayMillis = config.reconnectDelay().toMillis();
        LOG.infof("Bridge %s connected to %s as %s", name, address(), remoteClientId);
        MqttMessage subscribe = BridgeHandshake.subscribe(topics, outbound.nextPacketId());
        if (subscribe != null) {
            ctx.writeAndFlush(subscribe);
        }
        outbound.connected(channel);
    }

    private void disconnected() {
        boolean was = connected;
        connected = false;
        channel = null;
        outbound.disconnected();
        awaitingRelease.clear();
        if (was) {
            LOG.warnf("Bridge %s lost its connection to %s", name, address());
        }
        reconnectLater(run);
    }

    /** A PUBLISH from the remote broker, published here under the local topic. */
    private void incoming(ChannelHandlerContext ctx, MqttPublishMessage publish) {
        int qos = publish.fixedHeader().qosLevel().value();
        int packetId = publish.variableHeader().packetId();
        String remote = publish.variableHeader().topicName();
        BridgeTopic line = BridgeTopic.carryingIn(topics, remote);
        String local = line == null ? null : line.toLocal(remote);
        long changes = store.changesByThisThread();
        if (local != null && (qos < 2 || awaitingRelease.add(packetId))) {
            byte[] payload = ByteBufUtil.getBytes(publish.payload());
            router.publish(new Message(local, payload, qos, publish.fixedHeader().isRetain(), MessageProperties.NONE,
                    localId, 0));
            messagesIn.increment();
        }
        if (qos > 0) {
            acknowledge(ctx, qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC, packetId, changes);
        }
    }

    /** As for clients: after what it acknowledges is stored, and in the order the messages came. */
    private void acknowledge(ChannelHandlerContext ctx, MqttMessageType type, int packetId, long changes) {
        MqttMessage ack = BridgeOutbound.reply(type, packetId);
        if (acknowledgementsWaiting == 0 && store.changesByThisThread() == changes) {
            ctx.writeAndFlush(ack);
            return;
        }
        acknowledgementsWaiting++;
        store.whenDurable(() -> loop.execute(() -> {
            acknowledgementsWaiting--;
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(ack);
            }
        }));
    }

    private static int packetId(MqttMessage msg) {
        return ((MqttMessageIdVariableHeader) msg.variableHeader()).messageId();
    }

    private static byte reasonCode(MqttMessage msg) {
        return msg.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply ? reply.reasonCode() : 0;
    }

    /** The protocol handler of the current connection to the remote broker. */
    private final class Remote extends SimpleChannelInboundHandler<MqttMessage> {

        /** The run that opened this connection; once the bridge stopped or started again, it is left alone. */
        private final int opened;

        Remote(int opened) {
            this.opened = opened;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(BridgeHandshake.connect(config, remoteClientId));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
            if (opened != run) {
                ctx.close();
                return;
            }
            if (msg.decoderResult().isFailure()) {
                LOG.warnf("Bridge %s: malformed packet from %s: %s", name, address(), msg.decoderResult().cause());
                ctx.close();
                return;
            }
            switch (msg.fixedHeader().messageType()) {
                case CONNACK -> {
                    MqttConnectReturnCode code = ((MqttConnAckMessage) msg).variableHeader().connectReturnCode();
                    if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                        connected(ctx);
                    } else {
                        LOG.errorf("Bridge %s refused by %s: %s", name, address(), code);
                        ctx.close();
                    }
                }
                case SUBACK -> {
                    for (int code : ((MqttSubAckMessage) msg).payload().reasonCodes()) {
                        if (code >= 0x80) {
                            LOG.warnf("Bridge %s: %s refused a subscription (reason code 0x%02X)", name, address(),
                                    code);
                        }
                    }
                }
                case PUBLISH -> incoming(ctx, (MqttPublishMessage) msg);
                case PUBACK -> outbound.onPubAck(packetId(msg));
                case PUBREC -> outbound.onPubRec(packetId(msg), reasonCode(msg));
                case PUBCOMP -> outbound.onPubComp(packetId(msg));
                case PUBREL -> {
                    int id = packetId(msg);
                    awaitingRelease.remove(id);
                    ctx.writeAndFlush(BridgeOutbound.reply(MqttMessageType.PUBCOMP, id));
                }
                case DISCONNECT -> {
                    LOG.warnf("Bridge %s: %s disconnected it (reason code 0x%02X)", name, address(),
                            reasonCode(msg));
                    ctx.close();
                }
                default -> {
                    // PINGRESP, UNSUBACK: nothing to do.
                }
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent idle) {
                if (idle.state() == IdleState.WRITER_IDLE) {
                    ctx.writeAndFlush(MqttMessage.PINGREQ);
                } else if (idle.state() == IdleState.READER_IDLE) {
                    LOG.warnf("Bridge %s: %s went silent; reconnecting", name, address());
                    ctx.close();
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (opened == run) {
                disconnected();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warnf("Bridge %s: connection to %s failed: %s", name, address(), cause.getMessage());
            ctx.close();
        }
    }
}
