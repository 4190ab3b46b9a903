package dev.midge.session;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import java.util.List;

/**
 * The retained messages one new subscription is to receive, handed to the session a few at a time as its
 * queue drains: a subscription to {@code #} matching 10,000 retained messages holds one list of references
 * here, not 10,000 queued deliveries (which the queue limit would partly drop).
 */
public final class RetainedFeed {

    private final List<Message> messages;
    private final int maxQos;
    private final int[] subscriptionIds;
    private int next;

    /** @param messages the matching retained messages, in the order they are to be sent */
    public RetainedFeed(List<Message> messages, SubscriptionOptions options) {
        this.messages = messages;
        this.maxQos = options.qos();
        this.subscriptionIds = options.subscriptionId() == 0 ? new int[0] : new int[] {options.subscriptionId()};
    }

    boolean hasNext() {
        return next < messages.size();
    }

    Message next() {
        return messages.get(next++);
    }

    Delivery deliveryFor(Message message) {
        return new Delivery(Math.min(message.qos(), maxQos), true, subscriptionIds, null);
    }
}
