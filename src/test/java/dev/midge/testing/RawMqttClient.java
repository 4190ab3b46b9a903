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

/** An MQTT 3.1.1 client that writes packets byte by byte, for tests of what well-behaved clients never send. */
public final class RawMqttClient implements AutoCloseable {

    /** A packet as read: the first byte of the fixed header and the rest after the remaining length. */
    public record Packet(int header, byte[] body) {
        public int type() {
            return header >> 4;
        }

        public int flags() {
            return header & 0x0F;
        }

        public int packetId() {
            return ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
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
    }

    public static final int CONNACK = 2;
    public static final int PUBLISH = 3;
    public static final int PUBACK = 4;
    public static final int PUBREC = 5;
    public static final int PUBREL = 6;
    public static final int PUBCOMP = 7;
    public static final int SUBACK = 9;
    public static final int UNSUBACK = 11;
    public static final int PINGRESP = 13;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    public RawMqttClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    public RawMqttClient send(byte... bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends a whole packet: the first header byte, then the body with its remaining length before it. */
    public RawMqttClient sendPacket(int header, byte[] body) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(header);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.write(body);
        return send(packet.toByteArray());
    }

    /** CONNECT for MQTT 3.1.1 with the given client id, clean session flag and keepalive. */
    public RawMqttClient connect(String clientId, boolean cleanSession, int keepAlive) throws IOException {
        return connect(clientId, cleanSession, keepAlive, null, null);
    }

    /** CONNECT with a will (QoS 0, not retained) when willTopic is not null. */
    public RawMqttClient connect(String clientId, boolean cleanSession, int keepAlive, String willTopic,
            String willPayload) throws IOException {
        Body body = new Body().string("MQTT").bytes(4);
        int flags = (cleanSession ? 0x02 : 0) | (willTopic != null ? 0x04 : 0);
        body.bytes(flags, keepAlive >> 8, keepAlive & 0xFF).string(clientId);
        if (willTopic != null) {
            body.string(willTopic).string(willPayload);
        }
        return sendPacket(0x10, body.toBytes());
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

    public RawMqttClient subscribe(int packetId, String filter, int qos) throws IOException {
        return sendPacket(0x82, new Body().bytes(packetId >> 8, packetId & 0xFF).string(filter).bytes(qos).toBytes());
    }

    public RawMqttClient publish(String topic, String payload, int qos, int packetId, boolean dup) throws IOException {
        Body body = new Body().string(topic);
        if (qos > 0) {
            body.bytes(packetId >> 8, packetId & 0xFF);
        }
        body.raw(payload.getBytes(StandardCharsets.UTF_8));
        return sendPacket(0x30 | (dup ? 0x08 : 0) | (qos << 1), body.toBytes());
    }

    /** PUBACK, PUBREC, PUBREL (with its required flags) or PUBCOMP. */
    public RawMqttClient ack(int type, int packetId) throws IOException {
        byte[] id = {(byte) (packetId >> 8), (byte) packetId};
        return sendPacket(type << 4 | (type == PUBREL ? 0x02 : 0), id);
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
            throw new AssertionError("expected packet type " + type + " but got " + packet.type());
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

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Builds a packet body. */
    public static final class Body {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

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
