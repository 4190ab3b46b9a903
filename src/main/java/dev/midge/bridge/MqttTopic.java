package dev.midge.bridge;

/**
 * Message metadata saying which MQTT topic a message of an integration's channel is for, with its QoS and
 * retain flag. Midge attaches it to every message it sends out; on a message coming in, it is where the topic
 * is read first (before the connector's own metadata), so that any connector, or code feeding one, can say it.
 */
public record MqttTopic(String topic, int qos, boolean retain) {
}
