package dev.midge.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import dev.midge.message.TopicFilter;
import dev.midge.persistence.DisabledStore;
import dev.midge.routing.Router;
import dev.midge.testing.RecordingSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Messages for sessions on their way to this node wait for them, reach them in order once they are restored,
 * and only them; those that wait in vain are let go unconfirmed, so that their publishers are not acknowledged.
 */
class ArrivalsTest {

    private static final String LEFT = "00000000-0000-0000-0000-00000000000c";

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Router router = new Router(new DisabledStore());
    private final RecordingSubscriber adopted = new RecordingSubscriber("adopted");
    private final RecordingSubscriber local = new RecordingSubscriber("local");

    ArrivalsTest() {
        router.subscriptions().subscribe(TopicFilter.of("t/#"), local, SubscriptionOptions.ofQos(1));
    }

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private static Message on(String topic) {
        return new Message(topic, new byte[0], 1, false);
    }

    @Test
    void messagesForTheSessionsOfANodeThatLeftWaitForTheirAdoptionAndThenReachOnlyThemInOrder() {
        Arrivals arrivals = new Arrivals(router, new DisabledStore(), timer);
        String target = Targets.sessionsOf(LEFT);
        arrivals.expect(target);
        CompletableFuture<Void> first = arrivals.receive(target, on("t/1"));
        CompletableFuture<Void> second = arrivals.receive(target, on("t/2"));
        assertFalse(first.isDone(), "its publisher is not acknowledged before the session keeps it");

        router.subscriptions().subscribe(TopicFilter.of("t/#"), adopted, SubscriptionOptions.ofQos(1));
        arrivals.arrived(target, Set.of("adopted"));

        assertEquals(List.of("t/1", "t/2"), adopted.topics);
        await().atMost(Duration.ofSeconds(5)).until(() -> first.isDone() && second.isDone());
        assertFalse(first.isCompletedExceptionally());
        assertNull(arrivals.receive(target, on("t/3")), "once adopted, at once");
        assertEquals(List.of("t/1", "t/2", "t/3"), adopted.topics);
        assertEquals(List.of(), local.topics, "this node's own subscribers had their copy by the plain route");
    }

    @Test
    void aMessageForAClientNotExpectedGoesToWhatStandsForItHere() {
        Arrivals arrivals = new Arrivals(router, new DisabledStore(), timer);
        router.subscriptions().subscribe(TopicFilter.of("t/#"), adopted, SubscriptionOptions.ofQos(1));

        assertNull(arrivals.receive(Targets.client("adopted"), on("t/1")));

        assertEquals(List.of("t/1"), adopted.topics);
        assertEquals(List.of(), local.topics);
    }

    @Test
    void messagesThatWaitInVainAreLetGoUnconfirmed() {
        Arrivals arrivals = new Arrivals(router, new DisabledStore(), timer, Duration.ofMillis(100));
        String target = Targets.client("adopted");
        arrivals.expect(target);
        CompletableFuture<Void> waiting = arrivals.receive(target, on("t/1"));

        await().atMost(Duration.ofSeconds(5)).until(waiting::isCompletedExceptionally);
        router.subscriptions().subscribe(TopicFilter.of("t/#"), adopted, SubscriptionOptions.ofQos(1));
        arrivals.arrived(target, Set.of("adopted"));
        assertEquals(List.of(), adopted.topics, "let go, not delivered late behind its publisher's back");
    }
}
