package dev.midge.message;

/**
 * An application message as the broker routes it. The payload is a heap copy owned by the broker, so queues,
 * retained storage and in-flight tables hold it without reference counting; each outgoing packet wraps it
 * without copying.
 *
 * @param origin client id of the publisher (for No Local), or null for messages the broker makes
 * @param expiresAt wall-clock millisecond at which the message expires, or 0 for never
 * @param receivedNanos {@link System#nanoTime()} when it was received, for the messages sampled to measure
 *     publish-to-deliver latency; 0 for the others
 * @param serial names this one publication across a cluster, so that a session that moves between nodes can
 *     tell a message it took already when a second copy reaches it by another way; 0 for none (a single broker)
 */
public record Message(TopicName topicName, byte[] payload, int qos, boolean retain, MessageProperties properties,
        String origin, long expiresAt, long receivedNanos, long serial) {

    public Message {
        if (topicName == null) {
            throw new IllegalArgumentException("no topic name");
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS " + qos);
        }
    }

    /** A message without a serial. */
    public Message(TopicName topicName, byte[] payload, int qos, boolean retain, MessageProperties properties,
            String origin, long expiresAt, long receivedNanos) {
        this(topicName, payload, qos, retain, properties, origin, expiresAt, receivedNanos, 0);
    }

    /** A message to a topic name that must be valid ({@link TopicName#of(String)} says why it is not). */
    public Message(String topic, byte[] payload, int qos, boolean retain) {
        this(TopicName.of(topic), payload, qos, retain, MessageProperties.NONE, null, 0);
    }

    /** A message not sampled for latency, to a topic name that must be valid. */
    public Message(String topic, byte[] payload, int qos, boolean retain, MessageProperties properties,
            String origin, long expiresAt) {
        this(TopicName.of(topic), payload, qos, retain, properties, origin, expiresAt, 0);
    }

    /** A message not sampled for latency. */
    public Message(TopicName topic, byte[] payload, int qos, boolean retain, MessageProperties properties,
            String origin, long expiresAt) {
        this(topic, payload, qos, retain, properties, origin, expiresAt, 0);
    }

    /** The topic name's text. */
    public String topic() {
        return topicName.text();
    }

    /** This message, sampled for the publish-to-deliver latency from the given {@link System#nanoTime()}. */
    public Message sampled(long nanos) {
        return new Message(topicName, payload, qos, retain, properties, origin, expiresAt, nanos, serial);
    }

    /** This message, named with the serial of its publication. */
    public Message withSerial(long newSerial) {
        return new Message(topicName, payload, qos, retain, properties, origin, expiresAt, receivedNanos, newSerial);
    }

    public boolean isExpired(long nowMillis) {
        return expiresAt != 0 && nowMillis >= expiresAt;
    }

    /** As {@link #isExpired(long)} at this moment; reads the clock only for a message that can expire. */
    public boolean isExpiredNow() {
        return expiresAt != 0 && System.currentTimeMillis() >= expiresAt;
    }

    /** Seconds left before expiry, rounded up, for the forwarded Message Expiry Interval; -1 when none. */
    public long remainingExpirySeconds(long nowMillis) {
        return expiresAt == 0 ? -1 : Math.max(0, (expiresAt - nowMillis + 999) / 1000);
    }
}
