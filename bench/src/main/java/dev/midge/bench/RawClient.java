package dev.midge.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A blocking MQTT client on a plain socket that writes packets byte by byte as asked, for the hostile inputs
 * of the exhaustion scenarios: no CONNECT at all, a packet trickled in, huge topics, property floods.
 */
final class RawClient implements AutoCloseable {

    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int SUBACK = 9;
    static final int PINGRESP = 13;

    record Packet(int header, byte[] body) {
        int type() {
            return header >> 4;
        }
    }

    final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    RawClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    /** Connects with clean session and keepalive 0 (no keepalive), protocol level 4 (3.1.1) or 5. */
    RawClient connect(String clientId, int level) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(string("MQTT"));
        body.write(level);
        body.write(0x02);
        body.write(0);
        body.write(0);
        if (level == 5) {
            body.write(0); // no properties
        }
        body.writeBytes(string(clientId));
        send(packet(0x10, body.toByteArray()));
        Packet connAck = read();
        if (connAck.type() != CONNACK || connAck.body()[1] != 0) {
            throw new IOException("CONNECT refused: " + connAck);
        }
        return this;
    }

    /** One SUBSCRIBE with every filter at the QoS; returns the SUBACK's return codes. */
    int[] subscribe(int packetId, int qos, int level, List<String> filters) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId);
        if (level == 5) {
            body.write(0);
        }
        for (String filter : filters) {
            body.writeBytes(string(filter));
            body.write(qos);
        }
        send(packet(0x82, body.toByteArray()));
        Packet subAck = read();
        if (subAck.type() != SUBACK) {
            throw new IOException("expected SUBACK, got type " + subAck.type());
        }
        int from = level == 5 ? 3 : 2;
        int[] codes = new int[subAck.body().length - from];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = subAck.body()[from + i] & 0xFF;
        }
        return codes;
    }

    /** The bytes of a PUBLISH: topic, packet id when QoS > 0, properties when level 5, payload. */
    static byte[] publish(String topic, int qos, int packetId, boolean retain, int level, byte[] properties,
            byte[] payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(string(topic));
        if (qos > 0) {
            body.write(packetId >> 8);
            body.write(packetId);
        }
        if (level == 5) {
            body.writeBytes(variableByteInteger(properties.length));
            body.writeBytes(properties);
        }
        body.writeBytes(payload);
        return packet(0x30 | qos << 1 | (retain ? 1 : 0), body.toByteArray());
    }

    void ack(int packetId) throws IOException {
        send(new byte[] {0x40, 2, (byte) (packetId >> 8), (byte) packetId});
    }

    /** PINGREQ and its PINGRESP, skipping what comes before: everything sent before it has been handled. */
    void ping() throws IOException {
        send(new byte[] {(byte) 0xC0, 0});
        while (read().type() != PINGRESP) {
            // Skipped.
        }
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Packet read() throws IOException {
        int header = in.readUnsignedByte();
        int length = 0;
        int shift = 0;
        int digit;
        do {
            digit = in.readUnsignedByte();
            length |= (digit & 0x7F) << shift;
            shift += 7;
        } while ((digit & 0x80) != 0);
        byte[] body = new byte[length];
        in.readFully(body);
        return new Packet(header, body);
    }

    /** True once the broker has closed the connection, within the time; what it sends first is skipped. */
    boolean closedWithin(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        try {
            byte[] skip = new byte[4096];
            while (System.currentTimeMillis() < deadline) {
                socket.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
                if (socket.getInputStream().read(skip) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Gone already.
        }
    }

    static byte[] packet(int header, byte[] body) {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(header);
        packet.writeBytes(variableByteInteger(body.length));
        packet.writeBytes(body);
        return packet.toByteArray();
    }

    static byte[] string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[bytes.length + 2];
        out[0] = (byte) (bytes.length >> 8);
        out[1] = (byte) bytes.length;
        System.arraycopy(bytes, 0, out, 2, bytes.length);
        return out;
    }

    static byte[] variableByteInteger(int value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            int digit = value % 128;
            value /= 128;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
        return out.toByteArray();
    }
}
