package dev.midge.routing;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.MessageProperties;
import dev.midge.message.TopicName;
import dev.midge.persistence.BrokerStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Routes a published message to every matching subscriber and keeps the retained store current, and the
 * persistent copy of it too: except for {@code $SYS} topics, which the broker publishes afresh after a restart.
 */
@ApplicationScoped
public class Router {

    private final TopicTree subscriptions = new TopicTree();
    private final RetainedStore retained;
    private volatile ClusterRouting cluster = ClusterRouting.LOCAL;

    public Router(BrokerStore store) {
        this.retained = new RetainedStore(new RetainedStore.Changes() {
            @Override
            public void stored(Message message) {
                if (!message.topicName().isSys()) {
                    store.putRetained(message);
                }
            }

            @Override
            public void removed(TopicName topic) {
                if (!topic.isSys()) {
                    store.removeRetained(topic.text());
                }
            }
        });
    }

    public TopicTree subscriptions() {
        return subscriptions;
    }

    public RetainedStore retained() {
        return retained;
    }

    /** Joins this router to a cluster: its filters, those held now and those to come, become routes. */
    public void joinCluster(ClusterRouting clusterRouting) {
        cluster = clusterRouting;
        subscriptions.listen(new TopicTree.FilterListener() {
            @Override
            public void firstSubscriber(String filter) {
                clusterRouting.filterAdded(filter);
            }

            @Override
            public void lastSubscriberGone(String filter) {
                clusterRouting.filterRemoved(filter);
            }
        });
    }

    /** Completes once every node sees this node's routes for the filters as they are now (SUBACK waits). */
    public CompletionStage<Void> routesSettled(List<String> filters) {
        ClusterRouting current = cluster;
        if (current == ClusterRouting.LOCAL) {
            return ClusterRouting.DONE;
        }
        CompletableFuture<?>[] all = filters.stream()
                .map(filter -> current.settled(filter).toCompletableFuture()).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all);
    }

    /**
     * Clears the topic's retained message without publishing anything, so subscribers receive nothing. On
     * this node only: a cluster's other nodes keep their copy.
     */
    public void clearRetained(TopicName topic) {
        retained.put(new Message(topic, new byte[0], 0, true, MessageProperties.NONE, null, 0));
    }

    /** Puts back a retained message read from the persistent store. */
    public void restoreRetained(Message message) {
        retained.restore(message);
    }

    /**
     * Stores the message if it is retained, then forwards it live (retain flag 0 unless a subscription asked
     * for Retain As Published).
     *
     * @return a subscriber that is congested after taking its copy of the message (its publisher should pause
     *     until it is not), or null
     */
    public Subscriber publish(Message message) {
        ClusterRouting current = cluster;
        if (current == ClusterRouting.LOCAL) {
            return deliverHere(message, SharedGroups.ALL);
        }
        // A shared group with a member here is served here; the cluster sends the others to one node each.
        GroupsServed served = new GroupsServed();
        Message stamped = current.stamped(message);
        Subscriber congested = deliverHere(stamped, served);
        Subscriber congestedLink = current.forward(stamped, served.names());
        return congested != null ? congested : congestedLink;
    }

    /**
     * A message another node forwarded: stored if retained, and delivered to this node's subscribers, never
     * forwarded again. Of the shared groups, only those the sending node named get it: it chose this node to
     * serve them, and every other group got the message elsewhere.
     *
     * @param groups the shared groups, by their {@code $share/g/f} text, this node is to serve
     * @return a subscriber that is congested after taking its copy, or null
     */
    public Subscriber deliverForwarded(Message message, Collection<String> groups) {
        return deliverHere(message, SharedGroups.named(groups));
    }

    /**
     * A message for some subscribers only (sessions that came from another node, where it matched their
     * subscriptions; or what took over a session's subscriptions when it left): delivered to their plain
     * subscriptions here, never forwarded.
     *
     * @return a subscriber that is congested after taking its copy, or null
     */
    public Subscriber deliverTo(Message message, Predicate<Subscriber> which) {
        Subscriber congested = null;
        for (Map.Entry<Subscriber, TopicTree.Match> target : subscriptions.match(message, SharedGroups.NONE)
                .entrySet()) {
            Subscriber subscriber = target.getKey();
            if (which.test(subscriber)) {
                subscriber.deliver(message, target.getValue().delivery(message.qos(), message.retain()));
                if (congested == null && subscriber.isCongested()) {
                    congested = subscriber;
                }
            }
        }
        return congested;
    }

    private Subscriber deliverHere(Message message, SharedGroups groups) {
        if (message.retain()) {
            retained.put(message);
        }
        Subscriber congested = null;
        for (Map.Entry<Subscriber, TopicTree.Match> target : subscriptions.match(message, groups).entrySet()) {
            Subscriber subscriber = target.getKey();
            Delivery delivery = target.getValue().delivery(message.qos(), message.retain());
            subscriber.deliver(message, delivery);
            if (congested == null && subscriber.isCongested()) {
                congested = subscriber;
            }
        }
        return congested;
    }

    /** Every shared group, noting those a member here was picked in. */
    private static final class GroupsServed implements SharedGroups {
        private List<String> names;

        @Override
        public boolean includes(String sharedFilter) {
            return true;
        }

        @Override
        public void picked(String sharedFilter, Subscriber member) {
            if (names == null) {
                names = new ArrayList<>(2);
            }
            names.add(sharedFilter);
        }

        List<String> names() {
            return names == null ? List.of() : names;
        }
    }
}
