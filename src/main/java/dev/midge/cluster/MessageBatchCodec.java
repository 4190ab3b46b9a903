package dev.midge.cluster;

import dev.midge.message.Message;
import dev.midge.message.MessageProperties;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages forwarded to another node, several in one byte array: one send to the engine carries a whole batch,
 * named with the sending node, which the receiving node acknowledges with a frame of its own.
 * Everything a subscriber sees travels (topic, payload, QoS, retain, MQTT 5 properties, origin for No Local,
 * expiry deadline), the shared groups the receiving node is to serve with the message, the serial of its
 * publication, and whom it is for when not for every matching subscription there ({@link Forwarded#target()});
 * the latency sample does not, as the clocks of two nodes do not compare. Frames of versions 2 (before the
 * groups) and 3 (before serials and targets) still read.
 */
final class MessageBatchCodec {

    private static final int VERSION = 4;
    private static final int WITHOUT_SERIALS = 3;
    private static final int WITHOUT_GROUPS = 2;
    private static final int MESSAGES = 0;
    private static final int ACK = 1;

    /**
     * What one send carries: messages from a node, or that node's acknowledgement of a batch it took; the
     * sequence number names the batch, counted per sending link.
     */
    record Frame(String sender, long sequence, List<Forwarded> messages, boolean refused) {
        Frame(String sender, long sequence, List<Forwarded> messages) {
            this(sender, sequence, messages, false);
        }

        boolean isAck() {
            return messages == null;
        }
    }

    /**
     * One message for the node, and the shared groups ({@code $share/g/f}) it is to serve there.
     *
     * @param target null for every matching subscription of the node; else the sessions it is for alone, named
     *     by {@link Targets}
     */
    record Forwarded(Message message, List<String> groups, String target) {
        Forwarded(Message message, List<String> groups) {
            this(message, groups, null);
        }
    }

    private MessageBatchCodec() {
    }

    /** The acknowledgement the receiving node sends back once it has delivered a batch. */
    static byte[] ack(String sender, long sequence) {
        return ack(sender, sequence, false);
    }

    /**
     * The answer to a batch: delivered, or (refused) taken off the link without all its messages kept, so that
     * their publishers are not acknowledged.
     */
    static byte[] ack(String sender, long sequence, boolean refused) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(ACK);
            writeString(out, sender);
            out.writeLong(sequence);
            out.writeBoolean(refused);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] encode(String sender, long sequence, List<Forwarded> messages) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * messages.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(MESSAGES);
            writeString(out, sender);
            out.writeLong(sequence);
            out.writeInt(messages.size());
            for (Forwarded forwarded : messages) {
                Message m = forwarded.message();
                writeString(out, m.topic());
                writeBytes(out, m.payload());
                out.writeByte(m.qos() | (m.retain() ? 4 : 0));
                writeNullable(out, m.origin());
                out.writeLong(m.expiresAt());
                writeProperties(out, m.properties());
                out.writeInt(forwarded.groups().size());
                for (String group : forwarded.groups()) {
                    writeString(out, group);
                }
                out.writeLong(m.serial());
                writeNullable(out, forwarded.target());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Frame decode(byte[] batch) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(batch))) {
            int version = in.readUnsignedByte();
            if (version < WITHOUT_GROUPS || version > VERSION) {
                throw new IllegalArgumentException("forwarded batch of version " + version + ", expected "
                        + WITHOUT_GROUPS + " to " + VERSION);
            }
            int kind = in.readUnsignedByte();
            String sender = readString(in);
            long sequence = in.readLong();
            if (kind == ACK) {
                return new Frame(sender, sequence, null, version == VERSION && in.readBoolean());
            }
            int count = in.readInt();
            List<Forwarded> messages = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String topic = readString(in);
                byte[] payload = readBytes(in);
                int flags = in.readUnsignedByte();
                String origin = readNullable(in);
                long expiresAt = in.readLong();
                MessageProperties properties = readProperties(in);
                Message message = new Message(topic, payload, flags & 3, (flags & 4) != 0, properties, origin,
                        expiresAt);
                List<String> groups = version == WITHOUT_GROUPS ? List.of() : readGroups(in);
                if (version == WITHOUT_GROUPS || version == WITHOUT_SERIALS) {
                    messages.add(new Forwarded(message, groups));
                } else {
                    long serial = in.readLong();
                    messages.add(new Forwarded(serial == 0 ? message : message.withSerial(serial), groups,
                            readNullable(in)));
                }
            }
            return new Frame(sender, sequence, messages);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> readGroups(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count == 0) {
            return List.of();
        }
        List<String> groups = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            groups.add(readString(in));
        }
        return groups;
    }

    private static void writeProperties(DataOutputStream out, MessageProperties p) throws IOException {
        if (p == MessageProperties.NONE) {
            out.writeBoolean(false);
            return;
        }
        out.writeBoolean(true);
        out.writeInt(p.payloadFormat() == null ? -1 : p.payloadFormat());
        writeNullable(out, p.contentType());
        writeNullable(out, p.responseTopic());
        out.writeBoolean(p.correlationData() != null);
        if (p.correlationData() != null) {
            writeBytes(out, p.correlationData());
        }
        out.writeInt(p.userProperties().size());
        for (MessageProperties.UserProperty property : p.userProperties()) {
            writeString(out, property.name());
            writeString(out, property.value());
        }
    }

    private static MessageProperties readProperties(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return MessageProperties.NONE;
        }
        int format = in.readInt();
        String contentType = readNullable(in);
        String responseTopic = readNullable(in);
        byte[] correlation = in.readBoolean() ? readBytes(in) : null;
        int count = in.readInt();
        List<MessageProperties.UserProperty> user = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            user.add(new MessageProperties.UserProperty(readString(in), readString(in)));
        }
        return new MessageProperties(format < 0 ? null : format, contentType, responseTopic, correlation, user);
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }

    // Plain UTF-8 with an int length: writeUTF's modified UTF-8 stops at 65535 bytes, which a long topic with
    // characters outside the BMP can pass.
    private static void writeString(DataOutputStream out, String value) throws IOException {
        writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            writeString(out, value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }
}
