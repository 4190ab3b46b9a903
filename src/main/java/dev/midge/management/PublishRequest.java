package dev.midge.management;

/**
 * A message an operator publishes through the admin API.
 *
 * @param payload the payload as UTF-8 text; null or empty for an empty payload
 * @param qos 0, 1 or 2; 0 when absent
 * @param retain whether to retain it; false when absent
 */
public record PublishRequest(String topic, String payload, Integer qos, Boolean retain) {
}
