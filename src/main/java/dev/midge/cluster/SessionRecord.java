package dev.midge.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A durable session as the engine keeps it, apart from its messages: expiry, when its client went away, its
 * subscriptions (options as the store encodes them), its QoS 2 ids awaiting release and a will waiting out its
 * delay. Small, so that it is one entry changed in place by {@link SessionUpdate}.
 */
final class SessionRecord {

    private static final byte VERSION = 1;

    long expiryInterval;
    long disconnectedAt;
    final Map<String, byte[]> subscriptions = new LinkedHashMap<>();
    final Set<Integer> awaitingRelease = new LinkedHashSet<>();
    /** The will as the store encodes it, with its due time; null when none waits. */
    byte[] will;

    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeLong(expiryInterval);
            out.writeLong(disconnectedAt);
            out.writeInt(subscriptions.size());
            for (Map.Entry<String, byte[]> s : subscriptions.entrySet()) {
                out.writeUTF(s.getKey());
                writeBytes(out, s.getValue());
            }
            out.writeInt(awaitingRelease.size());
            for (int id : awaitingRelease) {
                out.writeShort(id);
            }
            writeBytes(out, will);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SessionRecord decode(byte[] data) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            if (in.readByte() != VERSION) {
                throw new IllegalStateException("session record format is not one this Midge reads");
            }
            SessionRecord r = new SessionRecord();
            r.expiryInterval = in.readLong();
            r.disconnectedAt = in.readLong();
            for (int i = in.readInt(); i > 0; i--) {
                r.subscriptions.put(in.readUTF(), readBytes(in));
            }
            for (int i = in.readInt(); i > 0; i--) {
                r.awaitingRelease.add(in.readUnsignedShort());
            }
            r.will = readBytes(in);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value == null ? -1 : value.length);
        if (value != null) {
            out.write(value);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] value = new byte[length];
        in.readFully(value);
        return value;
    }
}
