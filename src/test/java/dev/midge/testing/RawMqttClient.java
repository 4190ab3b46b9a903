package dev.midge.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * An MQTT 3.1.1 client that writes packets byte by byte (MQTT 3.1.1, OASIS Standard, section 2 and 3), for tests
 * of what well-behaved clients never send and of exact bytes on the wire.
 */
public final class RawMqttClient implements AutoCloseable {

    /** A packet as read: the first byte of the fixed header and the rest after the remaining length. */
    public record Packet(int header, byte[] body) {
        public int type() {
            return header >> 4;
        }

        public int flags() {
            return header & 0x0F;
        }

        /** The packet id of a packet that starts with one (PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK). */
        public int packetId() {
            return ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
        }

        /** The QoS bits of a PUBLISH. */
        public int qos() {
            return (header >> 1) & 0x03;
        }

        public boolean dup() {
            return (header & 0x08) != 0;
        }

        public boolean retain() {
            return (header & 0x01) != 0;
        }

        /** The topic of a PUBLISH. */
        public String topic() {
            int length = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
            return new String(body, 2, length, StandardCharsets.UTF_8);
        }

        /** The payload of a PUBLISH. */
        public String payload() {
            int length = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
            int start = 2 + length + ((flags() & 0x06) != 0 ? 2 : 0);
            return new String(body, start, body.length - start, StandardCharsets.UTF_8);
        }

        /** The packet id of a QoS 1/2 PUBLISH. */
        public int publishPacketId() {
            int length = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
            return ((body[2 + length] & 0xFF) << 8) | (body[3 + length] & 0xFF);
        }

        @Override
        public String toString() {
            return "Packet[type=" + type() + ", flags=" + flags() + ", body=" + Arrays.toString(body) + "]";
        }
    }

    public static final int CONNECT = 1;
    public static final int CONNACK = 2;
    public static final int PUBLISH = 3;
    public static final int PUBACK = 4;
    public static final int PUBREC = 5;
    public static final int PUBREL = 6;
    public static final int PUBCOMP = 7;
    public static final int SUBSCRIBE = 8;
    public static final int SUBACK = 9;
    public static final int UNSUBSCRIBE = 10;
    public static final int UNSUBACK = 11;
    public static final int PINGREQ = 12;
    public static final int PINGRESP = 13;
    public static final int DISCONNECT = 14;

    /** CONNECT flags (3.1.2.3). */
    public static final int CLEAN_SESSION = 0x02;
    public static final int WILL = 0x04;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    public RawMqttClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    /**
     * Writes the bytes from another thread, as a client that keeps sending while it reads. A failed write ends
     * quietly: the server may stop reading, and the test judges what the client reads.
     */
    public CompletableFuture<Void> sendInBackground(byte[] bytes) {
        return CompletableFuture.runAsync(() -> {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                // Judged by what the reading side sees.
            }
        });
    }

    /** As many PINGREQs in a row: bytes a client may still be sending when the server closes. */
    public static byte[] pingReqs(int count) {
        byte[] bytes = new byte[2 * count];
        for (int i = 0; i < bytes.length; i += 2) {
            bytes[i] = (byte) (PINGREQ << 4);
        }
        return bytes;
    }

    public RawMqttClient send(byte... bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends a whole packet: the first header byte, then the body with its remaining length before it. */
    public RawMqttClient sendPacket(int header, byte[] body) throws IOException {
        return send(packet(header, body));
    }

    /** The bytes of a whole packet: header byte, remaining length (2.2.3), body. */
    public static byte[] packet(int header, byte[] body) {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(header);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.writeBytes(body);
        return packet.toByteArray();
    }

    /**
     * A CONNECT with every field chosen by the caller: protocol name and level, connect flags, keepalive, client
     * id, then the strings the flags call for (will topic and message, user name, password), in order.
     */
    public RawMqttClient connect(String protocolName, int level, int flags, int keepAlive, String clientId,
            String... rest) throws IOException {
        Body body = new Body().string(protocolName).bytes(level, flags, keepAlive >> 8, keepAlive & 0xFF)
                .string(clientId);
        for (String s : rest) {
            body.string(s);
        }
        return sendPacket(CONNECT << 4, body.toBytes());
    }

    /** CONNECT for MQTT 3.1.1 with the given client id, clean session flag and keepalive. */
    public RawMqttClient connect(String clientId, boolean cleanSession, int keepAlive) throws IOException {
        return connect(clientId, cleanSession, keepAlive, null, null);
    }

    /** CONNECT with a will (QoS 0, not retained) when willTopic is not null. */
    public RawMqttClient connect(String clientId, boolean cleanSession, int keepAlive, String willTopic,
            String willPayload) throws IOException {
        int flags = (cleanSession ? CLEAN_SESSION : 0) | (willTopic != null ? WILL : 0);
        return willTopic == null
                ? connect("MQTT", 4, flags, keepAlive, clientId)
                : connect("MQTT", 4, flags, keepAlive, clientId, willTopic, willPayload);
    }

    /** Connects and checks the CONNACK accepts; returns the session-present flag. */
    public boolean connectAccepted(String clientId, boolean cleanSession) throws IOException {
        connect(clientId, cleanSession, 60);
        Packet connAck = expect(CONNACK);
        if (connAck.body()[1] != 0) {
            throw new AssertionError("CONNACK return code " + connAck.body()[1]);
        }
        return (connAck.body()[0] & 1) == 1;
    }

    /** Reads the next packet, checks it is a CONNACK of the right length, and returns its two bytes. */
    public byte[] connAck() throws IOException {
        Packet connAck = expect(CONNACK);
        if (connAck.flags() != 0 || connAck.body().length != 2) {
            throw new AssertionError("malformed CONNACK " + connAck);
        }
        return connAck.body();
    }

    public RawMqttClient subscribe(int packetId, String filter, int qos) throws IOException {
        return subscribe(packetId, qos, filter);
    }

    /** One SUBSCRIBE with several filters, all at the same requested QoS. */
    public RawMqttClient subscribe(int packetId, int qos, String... filters) throws IOException {
        Body body = new Body().bytes(packetId >> 8, packetId & 0xFF);
        for (String filter : filters) {
            body.string(filter).bytes(qos);
        }
        return sendPacket(SUBSCRIBE << 4 | 0x02, body.toBytes());
    }

    /** Reads the SUBACK for the packet id and returns its return codes, as unsigned values. */
    public int[] subAck(int packetId) throws IOException {
        Packet subAck = expect(SUBACK);
        if (subAck.packetId() != packetId) {
            throw new AssertionError("SUBACK for packet id " + subAck.packetId() + ", expected " + packetId);
        }
        int[] codes = new int[subAck.body().length - 2];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = subAck.body()[2 + i] & 0xFF;
        }
        return codes;
    }

    public RawMqttClient unsubscribe(int packetId, String filter) throws IOException {
        return sendPacket(UNSUBSCRIBE << 4 | 0x02, new Body().bytes(packetId >> 8, packetId & 0xFF).string(filter)
                .toBytes());
    }

    public RawMqttClient publish(String topic, String payload, int qos, int packetId, boolean dup) throws IOException {
        return publish(topic, payload, qos, packetId, dup, false);
    }

    public RawMqttClient publish(String topic, String payload, int qos, int packetId, boolean dup, boolean retain)
            throws IOException {
        Body body = new Body().string(topic);
        if (qos > 0) {
            body.bytes(packetId >> 8, packetId & 0xFF);
        }
        body.raw(payload.getBytes(StandardCharsets.UTF_8));
        return sendPacket(PUBLISH << 4 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0), body.toBytes());
    }

    /** PUBACK, PUBREC, PUBREL (with its required flags) or PUBCOMP. */
    public RawMqttClient ack(int type, int packetId) throws IOException {
        return sendPacket(type << 4 | (type == PUBREL ? 0x02 : 0), new byte[] {(byte) (packetId >> 8), (byte) packetId});
    }

    public RawMqttClient pingReq() throws IOException {
        return send((byte) (PINGREQ << 4), (byte) 0);
    }

    /** Sends PINGREQ and reads the PINGRESP: proof that the connection is open and served. */
    public void ping() throws IOException {
        pingReq();
        Packet resp = expect(PINGRESP);
        if (resp.body().length != 0) {
            throw new AssertionError("PINGRESP with a body " + resp);
        }
    }

    public RawMqttClient disconnect() throws IOException {
        return send((byte) (DISCONNECT << 4), (byte) 0);
    }

    public Packet read() throws IOException {
        int header = in.readUnsignedByte();
        int length = 0;
        int multiplier = 1;
        int digit;
        do {
            digit = in.readUnsignedByte();
            length += (digit & 0x7F) * multiplier;
            multiplier *= 128;
        } while ((digit & 0x80) != 0);
        byte[] body = new byte[length];
        in.readFully(body);
        return new Packet(header, body);
    }

    /** Reads the next packet and checks its type. */
    public Packet expect(int type) throws IOException {
        Packet packet = read();
        if (packet.type() != type) {
            throw new AssertionError("expected packet type " + type + " but got " + packet);
        }
        return packet;
    }

    /** True when the server closes the connection within the timeout (anything it sends first is skipped). */
    public boolean closedWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        InputStream raw = socket.getInputStream();
        long deadline = System.currentTimeMillis() + millis;
        try {
            while (System.currentTimeMillis() < deadline) {
                if (raw.read() < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException e) {
            return true;
        } catch (IOException e) {
            // A reset is a close too.
            return true;
        }
    }

    /**
     * Reads what the server still sends until the end of the stream, within the timeout. A reset is not an
     * end of the stream: its "Connection reset" IOException goes to the caller, as does a timeout.
     */
    public void expectEndOfStream(int millis) throws IOException {
        socket.setSoTimeout(millis);
        InputStream raw = socket.getInputStream();
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (raw.read() < 0) {
                return;
            }
        }
        throw new AssertionError("no end of stream within " + millis + " ms");
    }

    /**
     * True when the very next thing from the server is the end of the stream, within the timeout: the server
     * closed the connection without sending anything more (no CONNACK, no PUBLISH, ...).
     */
    public boolean closedWithoutAnswerWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // A reset is a close too.
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Builds a packet body. */
    public static final class Body {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        /** A UTF-8 string with its two-byte length before it (1.5.3). */
        public Body string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            bytes.write(utf8.length >> 8);
            bytes.write(utf8.length & 0xFF);
            bytes.writeBytes(utf8);
            return this;
        }

        public Body bytes(int... values) {
            for (int v : values) {
                bytes.write(v);
            }
            return this;
        }

        public Body raw(byte[] data) {
            bytes.writeBytes(data);
            return this;
        }

        public byte[] toBytes() {
            return bytes.toByteArray();
        }
    }
}
