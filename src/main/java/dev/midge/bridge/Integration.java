package dev.midge.bridge;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.MessageProperties;
import dev.midge.routing.Router;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.concurrent.Future;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.mqtt.ReceivingMqttMessageMetadata;
import io.smallrye.reactive.messaging.mqtt.SendingMqttMessageMetadata;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * A bridge whose far end is a SmallRye Reactive Messaging connector (MQTT, Kafka, AMQP, ...) rather than an
 * MQTT connection of Midge's own: local messages on its {@code out} topics go to the connector's outgoing
 * channel, messages from its incoming channels are published here, topic prefixes swapped as for a bridge.
 * Locally it subscribes with No Local under {@code $bridge:<name>}, the origin of what it brings in, so nothing
 * it brings in goes back out through it.
 *
 * <p>A message's MQTT topic travels as {@link MqttTopic} metadata, and also as the MQTT connector's own
 * metadata, and as the record key for Kafka. Incoming, the topic is read from {@link MqttTopic}, else from the
 * MQTT connector's metadata, else from a Kafka record's key, else it is the channel's {@code topic} attribute.
 * Delivery is at most once: a message is handed to the connector and forgotten, and an incoming one is
 * acknowledged once published here.
 */
public final class Integration implements BridgeSubscriber {

    private static final Logger LOG = Logger.getLogger(Integration.class);
    /** Incoming messages asked for ahead: enough to keep a connector busy, few enough to bound the heap. */
    private static final int INCOMING_WINDOW = 128;

    private final String name;
    private final String localId;
    private final List<BridgeTopic> topics;
    private final Router router;
    private final EventLoop loop;
    private final int maxQueued;
    /** The outgoing channel of the current run; null while stopped. */
    private volatile OutgoingFeed feed;
    private final List<Inlet> inlets = new CopyOnWriteArrayList<>();
    private final String connector;
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final LongAdder messagesDropped = new LongAdder();
    private volatile boolean incomingFailed;

    Integration(String name, String connector, List<BridgeTopic> topics, int maxQueued, Router router,
            EventLoop loop) {
        this.name = name;
        this.localId = BridgeSubscriber.localId(name);
        this.topics = List.copyOf(topics);
        this.router = router;
        this.loop = loop;
        this.maxQueued = maxQueued;
        this.connector = connector;
    }

    public String name() {
        return name;
    }

    public String connector() {
        return connector;
    }

    boolean sendsOut() {
        return topics.stream().anyMatch(BridgeTopic::goesOut);
    }

    List<BridgeTopic> incomingTopics() {
        return topics.stream().filter(BridgeTopic::comesIn).toList();
    }

    public long messagesIn() {
        return messagesIn.sum();
    }

    public long messagesOut() {
        return messagesOut.sum();
    }

    public long messagesDropped() {
        return messagesDropped.sum();
    }

    /** Whether every incoming channel still brings messages: a connector that failed for good ends its own. */
    public boolean isIncomingOpen() {
        return !incomingFailed;
    }

    /** Hands the outgoing messages to the connector's subscriber, then subscribes to the out topics. */
    void startOutgoing(Flow.Subscriber<? extends org.eclipse.microprofile.reactive.messaging.Message<?>> connector) {
        @SuppressWarnings("unchecked")
        Flow.Subscriber<org.eclipse.microprofile.reactive.messaging.Message<?>> downstream =
                (Flow.Subscriber<org.eclipse.microprofile.reactive.messaging.Message<?>>) connector;
        OutgoingFeed fresh = new OutgoingFeed(loop, maxQueued, messagesDropped);
        feed = fresh;
        fresh.subscribe(downstream);
        BridgeSubscriber.subscribeOut(router, topics, this);
    }

    /** Publishes here what one of the connector's incoming channels brings. */
    void startIncoming(Flow.Publisher<? extends org.eclipse.microprofile.reactive.messaging.Message<?>> connector,
            String channel, String defaultTopic) {
        Inlet inlet = new Inlet(channel, defaultTopic);
        inlets.add(inlet);
        connector.subscribe(inlet);
    }

    /**
     * Unsubscribes, ends the outgoing channel and cancels the incoming ones: nothing more is published here. It
     * may be started again, on new channels. Done once the outgoing channel's connector has been told.
     */
    Future<?> stop() {
        BridgeSubscriber.unsubscribeOut(router, topics, this);
        OutgoingFeed last = feed;
        feed = null;
        inlets.forEach(Inlet::cancel);
        inlets.clear();
        incomingFailed = false;
        return last != null ? last.complete() : loop.newSucceededFuture(null);
    }

    /** Whether its channels are open: on every node when clustering is off, on its owner only when on. */
    public boolean isRunning() {
        return feed != null || !inlets.isEmpty();
    }

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
        return true;
    }

    private void outgoing(Message message, Delivery delivery) {
        String remote = BridgeTopic.toRemote(topics, message.topic());
        OutgoingFeed current = feed;
        if (remote == null || current == null || message.isExpiredNow()) {
            return;
        }
        Metadata metadata = Metadata.of(new MqttTopic(remote, delivery.qos(), delivery.retain()));
        switch (connector) {
            case Integrations.MQTT -> metadata = metadata.with(
                    new SendingMqttMessageMetadata(remote, MqttQoS.valueOf(delivery.qos()), delivery.retain()));
            case Integrations.KAFKA -> metadata = metadata.with(
                    OutgoingKafkaRecordMetadata.<String>builder().withKey(remote).build());
            default -> {
            }
        }
        String topic = remote;
        current.offer(org.eclipse.microprofile.reactive.messaging.Message.of(message.payload(), metadata)
                .withAck(() -> {
                    messagesOut.increment();
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    messagesDropped.increment();
                    LOG.warnf("Integration %s: the connector refused a message for %s: %s", name, topic, failure);
                    return CompletableFuture.completedFuture(null);
                }));
    }

    /** Subscribed to one incoming channel; asks for a window of messages and one more per message handled. */
    private final class Inlet implements Flow.Subscriber<org.eclipse.microprofile.reactive.messaging.Message<?>> {

        private final String channel;
        private final String defaultTopic;
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;

        Inlet(String channel, String defaultTopic) {
            this.channel = channel;
            this.defaultTopic = defaultTopic;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) {
                s.cancel();
            } else {
                s.request(INCOMING_WINDOW);
            }
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public void onNext(org.eclipse.microprofile.reactive.messaging.Message<?> m) {
            loop.execute(() -> {
                if (cancelled) {
                    return;
                }
                try {
                    incoming(m);
                } finally {
                    m.ack();
                    subscription.request(1);
                }
            });
        }

        @Override
        public void onError(Throwable failure) {
            if (cancelled) {
                return;
            }
            incomingFailed = true;
            LOG.errorf(failure, "Integration %s: channel %s failed and brings nothing in any more", name, channel);
        }

        @Override
        public void onComplete() {
            if (cancelled) {
                return;
            }
            incomingFailed = true;
            LOG.warnf("Integration %s: channel %s ended and brings nothing in any more", name, channel);
        }

        private void incoming(org.eclipse.microprofile.reactive.messaging.Message<?> m) {
            Optional<MqttTopic> own = m.getMetadata(MqttTopic.class);
            Optional<ReceivingMqttMessageMetadata> mqtt = m.getMetadata(ReceivingMqttMessageMetadata.class);
            String remote = own.map(MqttTopic::topic)
                    .or(() -> mqtt.map(ReceivingMqttMessageMetadata::getTopic))
                    .or(() -> m.getMetadata(IncomingKafkaRecordMetadata.class)
                            .map(k -> k.getKey() instanceof String key ? key : null))
                    .orElse(defaultTopic);
            boolean retain = own.map(MqttTopic::retain).orElse(mqtt.map(ReceivingMqttMessageMetadata::isRetain)
                    .orElse(false));
            if (remote == null) {
                return; // no topic to map: ignored, as one no line carries in
            }
            BridgeTopic line = BridgeTopic.carryingIn(topics, remote);
            if (line != null) {
                router.publish(new Message(line.toLocal(remote), bytes(m.getPayload()), line.qos(), retain,
                        MessageProperties.NONE, localId, 0));
                messagesIn.increment();
            }
        }
    }

    private static byte[] bytes(Object payload) {
        if (payload instanceof byte[] b) {
            return b;
        }
        if (payload instanceof Buffer b) {
            return b.getBytes();
        }
        if (payload instanceof io.vertx.mutiny.core.buffer.Buffer b) {
            return b.getBytes();
        }
        return String.valueOf(payload).getBytes(StandardCharsets.UTF_8);
    }
}
