package dev.midge.routing;

/**
 * An application message as the broker routes it. The payload is a heap copy owned by the broker, so queues,
 * retained storage and in-flight tables hold it without reference counting; each outgoing packet wraps it
 * without copying.
 */
public record Message(String topic, byte[] payload, int qos, boolean retain) {

    public Message {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS " + qos);
        }
    }
}
