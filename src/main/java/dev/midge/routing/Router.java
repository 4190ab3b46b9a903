package dev.midge.routing;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.persistence.BrokerStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Routes a published message to every matching subscriber and keeps the retained store current, and the
 * persistent copy of it too: except for {@code $SYS} topics, which the broker publishes afresh after a restart.
 */
@ApplicationScoped
public class Router {

    private final TopicTree subscriptions = new TopicTree();
    private final RetainedStore retained;

    public Router(BrokerStore store) {
        this.retained = new RetainedStore(new RetainedStore.Changes() {
            @Override
            public void stored(Message message) {
                if (!message.topic().startsWith("$SYS/")) {
                    store.putRetained(message);
                }
            }

            @Override
            public void removed(String topic) {
                if (!topic.startsWith("$SYS/")) {
                    store.removeRetained(topic);
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
        if (message.retain()) {
            retained.put(message);
        }
        Subscriber congested = null;
        for (Map.Entry<Subscriber, TopicTree.Match> target : subscriptions.match(message).entrySet()) {
            Subscriber subscriber = target.getKey();
            Delivery delivery = target.getValue().delivery(message.qos(), message.retain());
            subscriber.deliver(message, delivery);
            if (congested == null && subscriber.isCongested()) {
                congested = subscriber;
            }
        }
        return congested;
    }
}
