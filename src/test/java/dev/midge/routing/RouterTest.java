package dev.midge.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import dev.midge.message.TopicFilter;
import dev.midge.persistence.DisabledStore;
import dev.midge.testing.RecordingSubscriber;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Shared groups across nodes, as the router sees them: a published message serves every group with a member
 * here and tells the cluster which; a forwarded one serves only the groups the sending node named.
 */
class RouterTest {

    private final Router router = new Router(new DisabledStore());
    private final RecordingSubscriber plain = new RecordingSubscriber("plain");
    private final RecordingSubscriber member = new RecordingSubscriber("member");
    private final RecordingSubscriber other = new RecordingSubscriber("other");

    RouterTest() {
        router.subscriptions().subscribe(TopicFilter.of("t/+"), plain, SubscriptionOptions.ofQos(1));
        router.subscriptions().subscribe(TopicFilter.of("$share/g/t/+"), member, SubscriptionOptions.ofQos(1));
        router.subscriptions().subscribe(TopicFilter.of("$share/h/t/#"), other, SubscriptionOptions.ofQos(1));
    }

    private static Message on(String topic) {
        return new Message(topic, new byte[0], 1, false);
    }

    @Test
    void aForwardedMessageReachesPlainSubscribersAndOnlyTheGroupsNamed() {
        router.deliverForwarded(on("t/1"), List.of());
        router.deliverForwarded(on("t/2"), List.of("$share/g/t/+"));
        router.deliverForwarded(on("t/3"), List.of("$share/g/t/+", "$share/h/t/#"));

        assertEquals(List.of("t/1", "t/2", "t/3"), plain.topics);
        assertEquals(List.of("t/2", "t/3"), member.topics);
        assertEquals(List.of("t/3"), other.topics);
        assertEquals("$share/g/t/+", member.deliveries.get(0).sharedFilter(), "a member may hand it on");
    }

    @Test
    void aPublishedMessageServesEveryGroupHereAndTellsTheClusterWhich() {
        List<Collection<String>> served = new ArrayList<>();
        router.joinCluster(new Forwarding(served));

        router.publish(on("t/1"));
        router.publish(on("t/x/y"));
        router.publish(on("u"));

        assertEquals(List.of("t/1"), plain.topics);
        assertEquals(List.of("t/1"), member.topics);
        assertEquals(List.of("t/1", "t/x/y"), other.topics);
        assertEquals(List.of(List.of("$share/g/t/+", "$share/h/t/#"), List.of("$share/h/t/#"), List.of()),
                served.stream().map(groups -> groups.stream().sorted().toList()).toList());
    }

    @Test
    void aMessageForSomeClientsReachesOnlyTheirPlainSubscriptions() {
        router.deliverTo(on("t/1"), subscriber -> subscriber == member);
        router.deliverTo(on("t/2"), subscriber -> subscriber == plain || subscriber == other);

        assertEquals(List.of("t/2"), plain.topics);
        assertEquals(List.of(), member.topics, "a shared group got it where it was published");
        assertEquals(List.of(), other.topics);
    }

    @Test
    void aBrokerAloneServesEveryGroup() {
        router.publish(on("t/1"));
        assertEquals(List.of("t/1"), member.topics);
        assertEquals(List.of("t/1"), other.topics);
    }

    /** A cluster that only notes, for each message forwarded, the groups served on this node. */
    private record Forwarding(List<Collection<String>> served) implements ClusterRouting {
        @Override
        public void filterAdded(String filter) {
        }

        @Override
        public void filterRemoved(String filter) {
        }

        @Override
        public CompletionStage<Void> settled(String filter) {
            return DONE;
        }

        @Override
        public Subscriber forward(Message message, Collection<String> groupsServedHere) {
            served.add(List.copyOf(groupsServedHere));
            return null;
        }
    }
}
