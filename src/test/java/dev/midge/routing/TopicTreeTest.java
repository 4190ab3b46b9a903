package dev.midge.routing;

import dev.midge.message.TopicFilter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.message.Message;
import dev.midge.message.MessageProperties;
import dev.midge.message.SubscriptionOptions;
import dev.midge.testing.RecordingSubscriber;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The subscription trie and the retained store, without a broker. */
class TopicTreeTest {

    @ParameterizedTest
    @CsvSource({
        "a/b, a/b, true",
        "a/+, a/b, true",
        "a/+, a/, true",
        "+/+, /, true",
        "+, a/b, false",
        "a/#, a, true",
        "a/#, a/b/c, true",
        "#, a/b, true",
        "#, $SYS/x, false",
        "+/x, $foo/x, false",
        "$foo/#, $foo/x, true",
        "$SYS/+, $SYS/uptime, true",
        "a/+/c, a/b/c, true",
        "a/+/c, a/b/d, false",
        "a/b, a/b/c, false",
        "a/b/c, a/b, false",
        "/a, /a, true",
        "+/a, /a, true",
    })
    void trieMatchesAsTheSpecSays(String filter, String topic, boolean expected) {
        assertEquals(expected, tree(filter).match(new Message(topic, new byte[0], 0, false)).size() == 1,
                "trie: " + filter + " vs " + topic);
    }

    @Test
    void overlappingSubscriptionsDeliverOnceAtHighestQos() {
        TopicTree tree = new TopicTree();
        RecordingSubscriber s = new RecordingSubscriber("s");
        tree.subscribe(TopicFilter.of("a/#"), s, SubscriptionOptions.ofQos(0));
        tree.subscribe(TopicFilter.of("a/b"), s, SubscriptionOptions.ofQos(2));
        Map<Subscriber, TopicTree.Match> match = tree.match(new Message("a/b", new byte[0], 2, false));
        assertEquals(1, match.size());
        assertEquals(2, match.get(s).delivery(2, false).qos());
        assertEquals(1, match.get(s).delivery(1, false).qos());
    }

    @Test
    void filtersListsEachSubscribedFilterWithItsSubscribersUpToTheLimit() {
        TopicTree tree = new TopicTree();
        RecordingSubscriber a = new RecordingSubscriber("a");
        RecordingSubscriber b = new RecordingSubscriber("b");
        tree.subscribe(TopicFilter.of("site/+/temp"), a, SubscriptionOptions.ofQos(0));
        tree.subscribe(TopicFilter.of("site/+/temp"), b, SubscriptionOptions.ofQos(1));
        tree.subscribe(TopicFilter.of("#"), a, SubscriptionOptions.ofQos(0));
        tree.subscribe(TopicFilter.of("/lead"), b, SubscriptionOptions.ofQos(0));
        tree.subscribe(TopicFilter.of("$share/g/site/#"), a, SubscriptionOptions.ofQos(0));
        tree.subscribe(TopicFilter.of("$share/g/site/#"), b, SubscriptionOptions.ofQos(0));
        assertEquals(Map.of("site/+/temp", 2, "#", 1, "/lead", 1, "$share/g/site/#", 2), tree.filters(10));
        assertEquals(2, tree.filters(2).size());
        tree.unsubscribe(TopicFilter.of("#"), a);
        assertFalse(tree.filters(10).containsKey("#"));
    }

    @Test
    void unsubscribePrunesAndCounts() {
        TopicTree tree = new TopicTree();
        RecordingSubscriber s = new RecordingSubscriber("s");
        assertFalse(tree.subscribe(TopicFilter.of("a/b/c"), s, SubscriptionOptions.ofQos(1)));
        assertTrue(tree.subscribe(TopicFilter.of("a/b/c"), s, SubscriptionOptions.ofQos(2)));
        assertEquals(1, tree.size());
        assertTrue(tree.unsubscribe(TopicFilter.of("a/b/c"), s));
        assertFalse(tree.unsubscribe(TopicFilter.of("a/b/c"), s));
        assertEquals(0, tree.size());
        assertTrue(tree.match(new Message("a/b/c", new byte[0], 0, false)).isEmpty());
    }

    @Test
    void sharedGroupTakesTurns() {
        TopicTree tree = new TopicTree();
        RecordingSubscriber a = new RecordingSubscriber("a");
        RecordingSubscriber b = new RecordingSubscriber("b");
        tree.subscribe(TopicFilter.of("$share/g/t"), a, SubscriptionOptions.ofQos(1));
        tree.subscribe(TopicFilter.of("$share/g/t"), b, SubscriptionOptions.ofQos(1));
        int toA = 0;
        for (int i = 0; i < 10; i++) {
            Map<Subscriber, TopicTree.Match> match = tree.match(new Message("t", new byte[0], 1, false));
            assertEquals(1, match.size());
            toA += match.containsKey(a) ? 1 : 0;
        }
        assertEquals(5, toA);
    }

    @Test
    void noLocalSkipsThePublisherItself() {
        TopicTree tree = new TopicTree();
        RecordingSubscriber self = new RecordingSubscriber("me");
        tree.subscribe(TopicFilter.of("t"), self, new SubscriptionOptions(1, true, false, 0, 0));
        Message own = new Message("t", new byte[0], 1, false, MessageProperties.NONE, "me", 0);
        Message other = new Message("t", new byte[0], 1, false, MessageProperties.NONE, "you", 0);
        assertTrue(tree.match(own).isEmpty());
        assertEquals(1, tree.match(other).size());
    }

    @Test
    void retainedStoreMatchesWildcardsAndClears() {
        RetainedStore store = new RetainedStore();
        store.put(new Message("a/b", "1".getBytes(), 0, true));
        store.put(new Message("a/c/d", "2".getBytes(), 0, true));
        store.put(new Message("$SYS/x", "3".getBytes(), 0, true));
        assertEquals(2, count(store, "a/#"));
        assertEquals(1, count(store, "a/+"));
        assertEquals(2, count(store, "#"));
        assertEquals(1, count(store, "$SYS/#"));
        store.put(new Message("a/b", new byte[0], 0, true));
        assertEquals(1, count(store, "a/#"));
        assertEquals(2, store.size());
    }

    @Test
    void aListenerHearsEachFilterAndGroupWhenItGainsItsFirstSubscriberAndLosesItsLast() {
        TopicTree tree = new TopicTree();
        Subscriber a = new RecordingSubscriber("a");
        Subscriber b = new RecordingSubscriber("b");
        tree.subscribe(TopicFilter.of("held/+/before"), a, SubscriptionOptions.ofQos(1));
        tree.subscribe(TopicFilter.of("/leading"), a, SubscriptionOptions.ofQos(1));
        tree.subscribe(TopicFilter.of("$share/early/held/#"), a, SubscriptionOptions.ofQos(1));
        java.util.List<String> events = new java.util.ArrayList<>();
        tree.listen(new TopicTree.FilterListener() {
            @Override
            public void firstSubscriber(String filter) {
                events.add("+" + filter);
            }

            @Override
            public void lastSubscriberGone(String filter) {
                events.add("-" + filter);
            }
        });
        assertEquals(java.util.Set.of("+held/+/before", "+/leading", "+$share/early/held/#"),
                java.util.Set.copyOf(events),
                "filters held before listening are told first");
        events.clear();

        tree.subscribe(TopicFilter.of("x/#"), a, SubscriptionOptions.ofQos(0));
        tree.subscribe(TopicFilter.of("x/#"), b, SubscriptionOptions.ofQos(1));
        tree.subscribe(TopicFilter.of("x/#"), b, SubscriptionOptions.ofQos(2));
        tree.subscribe(TopicFilter.of("$share/g/x/#"), b, SubscriptionOptions.ofQos(1));
        tree.subscribe(TopicFilter.of("$share/g/x/#"), a, SubscriptionOptions.ofQos(1));
        tree.subscribe(TopicFilter.of("$share/g/x/#"), a, SubscriptionOptions.ofQos(2));
        tree.unsubscribe(TopicFilter.of("x/#"), a);
        tree.unsubscribe(TopicFilter.of("$share/g/x/#"), b);
        tree.unsubscribe(TopicFilter.of("$share/g/x/#"), a);
        tree.unsubscribe(TopicFilter.of("x/#"), b);

        assertEquals(java.util.List.of("+x/#", "+$share/g/x/#", "-$share/g/x/#", "-x/#"), events,
                "once per filter, and once per group for its first member and its last");
    }

    @Test
    void aMatchTakesOnlyTheGroupsItIncludesAndTellsWhichMemberEachPicked() {
        TopicTree tree = new TopicTree();
        RecordingSubscriber plain = new RecordingSubscriber("plain");
        RecordingSubscriber one = new RecordingSubscriber("one");
        RecordingSubscriber two = new RecordingSubscriber("two");
        tree.subscribe(TopicFilter.of("t/+"), plain, SubscriptionOptions.ofQos(1));
        tree.subscribe(TopicFilter.of("$share/g1/t/+"), one, SubscriptionOptions.ofQos(1));
        tree.subscribe(TopicFilter.of("$share/g2/t/#"), two, SubscriptionOptions.ofQos(1));
        Message message = new Message("t/x", new byte[0], 1, false);

        assertEquals(java.util.Set.of(plain), tree.match(message, SharedGroups.NONE).keySet());
        assertEquals(java.util.Set.of(plain, two),
                tree.match(message, SharedGroups.named(java.util.List.of("$share/g2/t/#"))).keySet());
        java.util.Map<String, Subscriber> picked = new java.util.HashMap<>();
        SharedGroups recording = new SharedGroups() {
            @Override
            public boolean includes(String sharedFilter) {
                return true;
            }

            @Override
            public void picked(String sharedFilter, Subscriber member) {
                picked.put(sharedFilter, member);
            }
        };
        assertEquals(java.util.Set.of(plain, one, two), tree.match(message, recording).keySet());
        assertEquals(java.util.Map.of("$share/g1/t/+", one, "$share/g2/t/#", two), picked);
    }

    private static int count(RetainedStore store, String filter) {
        int[] n = {0};
        store.forEachMatching(TopicFilter.of(filter), m -> n[0]++);
        return n[0];
    }

    private static TopicTree tree(String filter) {
        TopicTree tree = new TopicTree();
        tree.subscribe(TopicFilter.of(filter), new RecordingSubscriber("x"), SubscriptionOptions.ofQos(0));
        return tree;
    }
}
