package dev.midge.persistence;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.MessageProperties;
import dev.midge.message.SubscriptionOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary record formats of what a session and a retained message are made of, shared by the disk store and
 * the cluster's replicas. Each record starts with a format version byte so that a later Midge can
 * read what an earlier one wrote. Strings are length-prefixed UTF-8; a length of -1 stands for null.
 */
public final class RecordCodec {

    private static final byte VERSION = 1;
    /** A message record that ends with the serial of its publication in a cluster. */
    private static final byte WITH_SERIAL = 2;

    private RecordCodec() {
    }

    /** The expiry time comes first, so that {@link #expiresAt} can read it without decoding the rest. */
    public static byte[] message(Message m) {
        Writer w = new Writer(72 + m.payload().length + m.topic().length());
        // A broker alone has no serials, and its records stay as an earlier Midge wrote them.
        w.u8(m.serial() == 0 ? VERSION : WITH_SERIAL).i64(m.expiresAt()).str(m.topic()).u8(m.qos())
                .bool(m.retain()).str(m.origin()).bytes(m.payload());
        properties(w, m.properties());
        if (m.serial() != 0) {
            w.i64(m.serial());
        }
        return w.toArray();
    }

    public static Message message(byte[] record) {
        return message(reader(record));
    }

    private static Message message(Reader r) {
        long expiresAt = r.i64();
        String topic = r.str();
        int qos = r.u8();
        boolean retain = r.bool();
        String origin = r.str();
        byte[] payload = r.bytes();
        Message message = new Message(topic, payload, qos, retain, properties(r), origin, expiresAt);
        return r.version == WITH_SERIAL ? message.withSerial(r.i64()) : message;
    }

    /** The wall-clock millisecond a message record expires at, 0 for never. */
    public static long expiresAt(byte[] record) {
        return reader(record).i64();
    }

    private static void properties(Writer w, MessageProperties p) {
        if (p == MessageProperties.NONE) {
            w.bool(false);
            return;
        }
        w.bool(true).i32(p.payloadFormat() == null ? -1 : p.payloadFormat()).str(p.contentType())
                .str(p.responseTopic()).bytes(p.correlationData()).i32(p.userProperties().size());
        for (MessageProperties.UserProperty u : p.userProperties()) {
            w.str(u.name()).str(u.value());
        }
    }

    private static MessageProperties properties(Reader r) {
        if (!r.bool()) {
            return MessageProperties.NONE;
        }
        int format = r.i32();
        String contentType = r.str();
        String responseTopic = r.str();
        byte[] correlation = r.bytes();
        int count = r.i32();
        List<MessageProperties.UserProperty> user = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            user.add(new MessageProperties.UserProperty(r.str(), r.str()));
        }
        return new MessageProperties(format < 0 ? null : format, contentType, responseTopic, correlation, user);
    }

    /** An outbound entry: whose it is, how it is delivered, and the message. */
    public static byte[] outbound(String clientId, Delivery d, byte[] message) {
        Writer w = new Writer(message.length + 64);
        w.u8(VERSION).str(clientId).u8(d.qos()).bool(d.retain()).i32(d.subscriptionIds().length);
        for (int id : d.subscriptionIds()) {
            w.i32(id);
        }
        w.str(d.sharedFilter()).bytes(message);
        return w.toArray();
    }

    /** The parts of an outbound entry. */
    public record Outbound(String clientId, Delivery delivery, Message message) {
    }

    public static Outbound outbound(byte[] record) {
        Reader r = reader(record);
        String clientId = r.str();
        int qos = r.u8();
        boolean retain = r.bool();
        int[] ids = new int[r.i32()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.i32();
        }
        String shared = r.str();
        Delivery delivery = ids.length == 0 && shared == null ? Delivery.of(qos, retain)
                : new Delivery(qos, retain, ids, shared);
        return new Outbound(clientId, delivery, message(r.bytes()));
    }

    /** The expiry time of an outbound entry's message, read without decoding the message. */
    public static long outboundExpiresAt(byte[] record) {
        Reader r = reader(record);
        r.str();
        r.u8();
        r.bool();
        r.skip(4 * r.i32());
        r.str();
        r.i32();
        r.u8();
        return r.i64();
    }

    /** Where an outbound message stands: 0 while queued, else its packet id; released after PUBREC. */
    public static long progress(int packetId, boolean released) {
        return ((long) packetId << 1) | (released ? 1 : 0);
    }

    public static int progressPacketId(long progress) {
        return (int) (progress >>> 1);
    }

    public static boolean progressReleased(long progress) {
        return (progress & 1) != 0;
    }

    public static byte[] session(long expiryInterval, long disconnectedAt) {
        return new Writer(17).u8(VERSION).i64(expiryInterval).i64(disconnectedAt).toArray();
    }

    /** A session record: its expiry interval, and when it went offline (0 while it was online). */
    public record Session(long expiryInterval, long disconnectedAt) {
    }

    public static Session session(byte[] record) {
        Reader r = reader(record);
        return new Session(r.i64(), r.i64());
    }

    public static byte[] subscription(SubscriptionOptions o) {
        return new Writer(12).u8(VERSION).u8(o.qos()).bool(o.noLocal()).bool(o.retainAsPublished())
                .u8(o.retainHandling()).i32(o.subscriptionId()).toArray();
    }

    public static SubscriptionOptions subscription(byte[] record) {
        Reader r = reader(record);
        return new SubscriptionOptions(r.u8(), r.bool(), r.bool(), r.u8(), r.i32());
    }

    public static byte[] will(Message will, long publishAt) {
        byte[] message = message(will);
        return new Writer(message.length + 16).u8(VERSION).i64(publishAt).bytes(message).toArray();
    }

    /** A will waiting out its delay, and the wall-clock millisecond it is due. */
    public record Will(Message message, long publishAt) {
    }

    public static Will will(byte[] record) {
        Reader r = reader(record);
        long publishAt = r.i64();
        return new Will(message(r.bytes()), publishAt);
    }

    private static Reader reader(byte[] record) {
        Reader r = new Reader(record);
        r.version = r.u8();
        if (r.version != VERSION && r.version != WITH_SERIAL) {
            throw new IllegalStateException("record format " + r.version + " is not one this Midge reads");
        }
        return r;
    }

    private static final class Writer {
        private ByteBuffer buf;

        Writer(int capacity) {
            buf = ByteBuffer.allocate(capacity);
        }

        private void room(int n) {
            if (buf.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        Writer u8(int v) {
            room(1);
            buf.put((byte) v);
            return this;
        }

        Writer bool(boolean v) {
            return u8(v ? 1 : 0);
        }

        Writer i32(int v) {
            room(4);
            buf.putInt(v);
            return this;
        }

        Writer i64(long v) {
            room(8);
            buf.putLong(v);
            return this;
        }

        Writer bytes(byte[] v) {
            if (v == null) {
                return i32(-1);
            }
            i32(v.length);
            room(v.length);
            buf.put(v);
            return this;
        }

        Writer str(String v) {
            return bytes(v == null ? null : v.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toArray() {
            byte[] out = new byte[buf.position()];
            buf.flip();
            buf.get(out);
            return out;
        }
    }

    private static final class Reader {
        private final ByteBuffer buf;
        private int version;

        Reader(byte[] record) {
            buf = ByteBuffer.wrap(record);
        }

        int u8() {
            return buf.get() & 0xFF;
        }

        void skip(int n) {
            buf.position(buf.position() + n);
        }

        boolean bool() {
            return buf.get() != 0;
        }

        int i32() {
            return buf.getInt();
        }

        long i64() {
            return buf.getLong();
        }

        byte[] bytes() {
            int length = buf.getInt();
            if (length < 0) {
                return null;
            }
            byte[] out = new byte[length];
            buf.get(out);
            return out;
        }

        String str() {
            byte[] b = bytes();
            return b == null ? null : new String(b, StandardCharsets.UTF_8);
        }
    }
}
