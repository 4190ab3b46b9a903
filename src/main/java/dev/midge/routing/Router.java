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
     * Stores the message if it is retained, then forwards it live with retain flag 0.
     *
     * @return a subscriber that is congested after taking a QoS 1/2 copy of the message (its publisher should
     *     pause until it is not), or null
     */
    public Subscriber publish(Message message) {
        if (message.retain()) {
            retained.put(message);
        }
        Subscriber congested = null;
        for (Map.Entry<Subscriber, Integer> target : subscriptions.match(message.topic()).entrySet()) {
            Subscriber subscriber = target.getKey();
            int qos = Math.min(message.qos(), target.getValue());
            subscriber.deliver(message, qos, false);
            if (qos > 0 && congested == null && subscriber.isCongested()) {
                congested = subscriber;
            }
        }
        return congested;
    }
}
