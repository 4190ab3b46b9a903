package dev.midge.message;

/**
 * What a client asked for when subscribing to one filter.
 *
 * @param retainHandling 0: send retained messages on subscribe; 1: only if the subscription is new; 2: never
 * @param subscriptionId the MQTT 5 Subscription Identifier, or 0 for none
 */
public record SubscriptionOptions(int qos, boolean noLocal, boolean retainAsPublished, int retainHandling,
        int subscriptionId) {

    /** Plain MQTT 3 options with the given QoS. */
    public static SubscriptionOptions ofQos(int qos) {
        return new SubscriptionOptions(qos, false, false, 0, 0);
    }
}
