package dev.midge.persistence.mosquitto;

import dev.midge.message.MessageProperties;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the MQTT 5 PUBLISH properties Mosquitto stores with a message: a variable-length byte count, then the
 * properties. The ones a message carries to its subscribers are kept; the rest (expiry is stored apart,
 * topic aliases and subscription ids belong to one connection) are skipped.
 */
final class PublishProperties {

    private PublishProperties() {
    }

    static MessageProperties read(ByteBuffer in) {
        int length = varInt(in);
        int end = in.position() + length;
        Integer payloadFormat = null;
        String contentType = null;
        String responseTopic = null;
        byte[] correlation = null;
        List<MessageProperties.UserProperty> user = new ArrayList<>();
        while (in.position() < end) {
            int id = varInt(in);
            switch (id) {
                case 0x01 -> payloadFormat = (int) in.get();
                case 0x02 -> in.getInt();
                case 0x03 -> contentType = string(in);
                case 0x08 -> responseTopic = string(in);
                case 0x09 -> correlation = bytes(in);
                case 0x0B -> varInt(in);
                case 0x23 -> in.getShort();
                case 0x26 -> user.add(new MessageProperties.UserProperty(string(in), string(in)));
                default -> throw new IllegalArgumentException("unexpected PUBLISH property " + id);
            }
        }
        if (payloadFormat == null && contentType == null && responseTopic == null && correlation == null
                && user.isEmpty()) {
            return MessageProperties.NONE;
        }
        return new MessageProperties(payloadFormat, contentType, responseTopic, correlation, user);
    }

    private static int varInt(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            int b = in.get() & 0xFF;
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("variable byte integer longer than 4 bytes");
    }

    private static byte[] bytes(ByteBuffer in) {
        byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(bytes);
        return bytes;
    }

    private static String string(ByteBuffer in) {
        return new String(bytes(in), StandardCharsets.UTF_8);
    }
}
