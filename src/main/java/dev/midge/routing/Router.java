package dev.midge.routing;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Routes a published message to every matching subscriber and keeps the retained store current. */
@ApplicationScoped
public class Router {

    private final TopicTree subscriptions = new TopicTree();
    private final RetainedStore retained = new RetainedStore();

    public TopicTree subscriptions() {
        return subscriptions;
    }

    public RetainedStore retained() {
        return retained;
    }

    /**
     * Stores the message if it is retained, then forwards it live (retain flag 0 unless a subscription asked
     * for Retain As Published).
     *
     * @return a subscriber that is congested after taking a QoS 1/2 copy of the message (its publisher should
     *     pause until it is not), or null
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
            if (delivery.qos() > 0 && congested == null && subscriber.isCongested()) {
                congested = subscriber;
            }
        }
        return congested;
    }
}
