package dev.midge.message;

/**
 * How one message goes to one subscriber: the QoS (already reduced to what it was granted), the retain flag,
 * and the identifiers of the subscriptions it matched.
 *
 * @param sharedFilter the shared subscription ({@code $share/g/f}) the message came through, or null; a
 *     session that ends with it undelivered hands it to another member
 */
public record Delivery(int qos, boolean retain, int[] subscriptionIds, String sharedFilter) {

    private static final int[] NO_IDS = new int[0];
    private static final Delivery[] PLAIN = {
        new Delivery(0, false, NO_IDS, null), new Delivery(1, false, NO_IDS, null),
        new Delivery(2, false, NO_IDS, null), new Delivery(0, true, NO_IDS, null),
        new Delivery(1, true, NO_IDS, null), new Delivery(2, true, NO_IDS, null),
    };

    /** A delivery without subscription identifiers; shared instances, as most deliveries are of this kind. */
    public static Delivery of(int qos, boolean retain) {
        return PLAIN[(retain ? 3 : 0) + qos];
    }
}
