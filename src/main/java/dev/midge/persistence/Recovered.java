package dev.midge.persistence;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Everything a store held when it was opened, ready to be put back into the broker. */
public record Recovered(List<Message> retained, List<StoredSession> sessions) {

    public static final Recovered NOTHING = new Recovered(List.of(), List.of());

    /** What recovery put back, in numbers. */
    public record Counts(int sessions, int retained, int messages) {
    }

    public Counts counts() {
        return new Counts(sessions.size(), retained.size(), outboundCount());
    }

    /** Queued and in-flight messages over all sessions. */
    public int outboundCount() {
        return sessions.stream().mapToInt(s -> s.outbound().size()).sum();
    }

    /**
     * A session as stored.
     *
     * @param disconnectedAt wall-clock millisecond its client went away, or 0 if it was connected when the
     *     broker stopped
     * @param subscriptions by filter, shared ones under their full {@code $share/...} filter
     * @param outbound queued and in-flight messages in the order they were queued
     * @param awaitingRelease incoming QoS 2 packet ids not yet released
     * @param will a will waiting out its delay, or null
     */
    public record StoredSession(String clientId, long expiryInterval, long disconnectedAt,
            Map<String, SubscriptionOptions> subscriptions, List<StoredOutbound> outbound,
            Set<Integer> awaitingRelease, StoredWill will) {
    }

    /** @param packetId 0 while queued, else the id it was sent with */
    public record StoredOutbound(long id, Message message, Delivery delivery, int packetId, boolean released) {
    }

    /** @param publishAt wall-clock millisecond at which it is due */
    public record StoredWill(Message message, long publishAt) {
    }
}
