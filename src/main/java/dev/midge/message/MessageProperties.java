package dev.midge.message;

import java.util.List;

/**
 * The MQTT 5 properties a message carries from its publisher to its subscribers unchanged. All absent for a
 * message published over MQTT 3.
 *
 * @param payloadFormat 1 for UTF-8 text, 0 for bytes, null when absent
 */
public record MessageProperties(Integer payloadFormat, String contentType, String responseTopic,
        byte[] correlationData, List<UserProperty> userProperties) {

    public static final MessageProperties NONE = new MessageProperties(null, null, null, null, List.of());

    public MessageProperties {
        userProperties = List.copyOf(userProperties);
    }

    /** A name/value pair; the same name may appear more than once, and order is kept. */
    public record UserProperty(String name, String value) {
    }
}
