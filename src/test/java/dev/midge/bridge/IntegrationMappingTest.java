package dev.midge.bridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import dev.midge.message.TopicFilter;
import dev.midge.persistence.DisabledStore;
import dev.midge.routing.Router;
import dev.midge.testing.RecordingSubscriber;
import io.netty.channel.DefaultEventLoop;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How an integration maps topics to and from a connector's messages, and how it bounds what waits for one. */
class IntegrationMappingTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final Router router = new Router(new DisabledStore());

    @AfterEach
    void stopLoop() {
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    private Integration integration(String connector, int maxQueued, String... lines) {
        return new Integration("it", connector, List.of(lines).stream().map(BridgeTopic::parse).toList(), maxQueued,
                router, loop);
    }

    @Test
    void aKafkaRecordIsKeyedByTheRemoteTopic() {
        Integration kafka = integration(Integrations.KAFKA, 10, "sensors/# out 1 \"\" site1/");
        Sink sink = new Sink(Long.MAX_VALUE);
        kafka.startOutgoing(sink);
        router.publish(new Message("sensors/a", bytes("21.5"), 1, false));
        await().atMost(WAIT).until(() -> sink.received.size() == 1);
        org.eclipse.microprofile.reactive.messaging.Message<?> sent = sink.received.get(0);
        assertEquals("site1/sensors/a", sent.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey());
        assertEquals(new MqttTopic("site1/sensors/a", 1, false), sent.getMetadata(MqttTopic.class).orElseThrow());
        assertArrayEquals(bytes("21.5"), (byte[]) sent.getPayload());
        sent.ack();
        await().atMost(WAIT).until(() -> kafka.messagesOut() == 1);
    }

    @Test
    void whatTheConnectorHasNotAskedForWaitsUpToTheLimitAndTheRestIsCounted() {
        Integration stalled = integration("smallrye-in-memory", 3, "# out 0");
        Sink sink = new Sink(1);
        stalled.startOutgoing(sink);
        // The feed takes the subscription, then the first request, each as a task on its loop: let both run.
        loop.submit(() -> { }).syncUninterruptibly();
        loop.submit(() -> { }).syncUninterruptibly();
        for (int i = 0; i < 6; i++) {
            router.publish(new Message("t/" + i, bytes(String.valueOf(i)), 0, false));
        }
        // One taken by the connector, three waiting, two dropped.
        await().atMost(WAIT).untilAsserted(() -> assertEquals(List.of(2L, 1),
                List.of(stalled.messagesDropped(), sink.received.size()), "dropped, taken"));
        sink.subscription.request(10);
        await().atMost(WAIT).until(() -> sink.received.size() == 4);
        assertEquals(List.of("t/0", "t/1", "t/2", "t/3"),
                sink.received.stream().map(m -> m.getMetadata(MqttTopic.class).orElseThrow().topic()).toList());
    }

    @Test
    void anIncomingKafkaRecordIsPublishedUnderItsKeyMappedToALocalTopic() throws Exception {
        Integration kafka = integration(Integrations.KAFKA, 10, "cmd/# in 1 \"\" site1/");
        RecordingSubscriber local = new RecordingSubscriber("local");
        router.subscriptions().subscribe(TopicFilter.of("#"), local, new SubscriptionOptions(2, false, false, 0, 0));
        try (SubmissionPublisher<org.eclipse.microprofile.reactive.messaging.Message<?>> channel =
                new SubmissionPublisher<>()) {
            kafka.startIncoming(channel, "midge-it-in", "orders");
            ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("orders", 0, 0L, "site1/cmd/reboot",
                    bytes("now"));
            channel.submit(org.eclipse.microprofile.reactive.messaging.Message.of(bytes("now"),
                    Metadata.of(new IncomingKafkaRecordMetadata<>(record, "midge-it-in"))));
            channel.submit(org.eclipse.microprofile.reactive.messaging.Message.of(bytes("not carried in"),
                    Metadata.of(new MqttTopic("elsewhere/x", 0, false))));
            channel.submit(org.eclipse.microprofile.reactive.messaging.Message.of(bytes("marker"),
                    Metadata.of(new MqttTopic("site1/cmd/marker", 0, false))));
            await().atMost(WAIT).until(() -> local.messages.size() == 2);
        }
        assertEquals("cmd/reboot", local.messages.get(0).topic());
        assertEquals(1, local.messages.get(0).qos(), "the QoS of the topic line");
        assertEquals("$bridge:it", local.messages.get(0).origin());
        assertEquals("cmd/marker", local.messages.get(1).topic(), "elsewhere/x is not carried in");
        assertEquals(2, kafka.messagesIn());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A connector's subscriber that asks for a given number of messages at first. */
    private static final class Sink implements Flow.Subscriber<org.eclipse.microprofile.reactive.messaging.Message<?>> {
        final List<org.eclipse.microprofile.reactive.messaging.Message<?>> received = new CopyOnWriteArrayList<>();
        final long initialDemand;
        volatile Flow.Subscription subscription;

        Sink(long initialDemand) {
            this.initialDemand = initialDemand;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(initialDemand);
        }

        @Override
        public void onNext(org.eclipse.microprofile.reactive.messaging.Message<?> m) {
            received.add(m);
        }

        @Override
        public void onError(Throwable failure) {
        }

        @Override
        public void onComplete() {
        }
    }
}
