package dev.midge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import dev.midge.message.TopicFilter;
import dev.midge.persistence.DisabledStore;
import dev.midge.routing.Router;
import dev.midge.testing.RecordingSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A node that is leaving refuses forwarded batches, so that nothing it can no longer keep is acknowledged. */
class InboxTest {

    private static final String HERE = "00000000-0000-0000-0000-00000000000a";
    private static final String SENDER = "00000000-0000-0000-0000-00000000000b";

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Router router = new Router(new DisabledStore());
    private final RecordingSubscriber subscriber = new RecordingSubscriber("s");
    private final List<byte[]> answers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean accepting = new AtomicBoolean(true);
    private final Inbox inbox = new Inbox(HERE, router, new ClusterStats(), Duration.ZERO, timer, node -> null,
            (node, frame) -> answers.add(frame), new DisabledStore(),
            new Arrivals(router, new DisabledStore(), timer), accepting::get);

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private static byte[] batch(long sequence, String topic) {
        return MessageBatchCodec.encode(SENDER, sequence,
                List.of(new MessageBatchCodec.Forwarded(new Message(topic, new byte[0], 1, false), List.of())));
    }

    @Test
    void aBatchIsDeliveredAndAcknowledgedUntilTheNodeLeavesThenRefused() {
        router.subscriptions().subscribe(TopicFilter.of("t/#"), subscriber, SubscriptionOptions.ofQos(1));

        inbox.receive(batch(1, "t/1"));
        accepting.set(false);
        inbox.receive(batch(2, "t/2"));

        assertEquals(List.of("t/1"), subscriber.topics);
        assertEquals(2, answers.size());
        MessageBatchCodec.Frame first = MessageBatchCodec.decode(answers.get(0));
        MessageBatchCodec.Frame second = MessageBatchCodec.decode(answers.get(1));
        assertEquals(1, first.sequence());
        assertFalse(first.refused());
        assertEquals(2, second.sequence());
        assertTrue(second.refused(), "its publishers must not be acknowledged");
    }
}
