package dev.midge.mqtt5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.RawMqttClient;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An MQTT 5 client that builds packets byte by byte and reads whole packets back, so tests can send what
 * well-behaved clients never send and check the exact bytes the broker answers with. The socket, framing and
 * string encoding are those of the MQTT 3.1.1 {@link RawMqttClient}.
 */
final class RawMqtt5Client implements AutoCloseable {

    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBACK = 9;
    static final int UNSUBACK = 11;
    static final int PINGRESP = 13;
    static final int DISCONNECT = 14;
    static final int AUTH = 15;

    static final int PAYLOAD_FORMAT_INDICATOR = 0x01;
    static final int MESSAGE_EXPIRY_INTERVAL = 0x02;
    static final int CONTENT_TYPE = 0x03;
    static final int RESPONSE_TOPIC = 0x08;
    static final int CORRELATION_DATA = 0x09;
    static final int SUBSCRIPTION_IDENTIFIER = 0x0B;
    static final int SESSION_EXPIRY_INTERVAL = 0x11;
    static final int ASSIGNED_CLIENT_IDENTIFIER = 0x12;
    static final int SERVER_KEEP_ALIVE = 0x13;
    static final int AUTHENTICATION_METHOD = 0x15;
    static final int AUTHENTICATION_DATA = 0x16;
    static final int WILL_DELAY_INTERVAL = 0x18;
    static final int REASON_STRING = 0x1F;
    static final int RECEIVE_MAXIMUM = 0x21;
    static final int TOPIC_ALIAS_MAXIMUM = 0x22;
    static final int TOPIC_ALIAS = 0x23;
    static final int MAXIMUM_QOS = 0x24;
    static final int RETAIN_AVAILABLE = 0x25;
    static final int USER_PROPERTY = 0x26;
    static final int MAXIMUM_PACKET_SIZE = 0x27;
    static final int WILDCARD_SUBSCRIPTION_AVAILABLE = 0x28;
    static final int SUBSCRIPTION_IDENTIFIER_AVAILABLE = 0x29;
    static final int SHARED_SUBSCRIPTION_AVAILABLE = 0x2A;

    /** How a property's value is encoded, by identifier (MQTT 5.0 section 2.2.2.2). */
    private enum Kind { BYTE, TWO_BYTES, FOUR_BYTES, VARIABLE, STRING, BINARY, PAIR }

    private static Kind kind(int id) {
        return switch (id) {
            case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A -> Kind.BYTE;
            case 0x13, 0x21, 0x22, 0x23 -> Kind.TWO_BYTES;
            case 0x02, 0x11, 0x18, 0x27 -> Kind.FOUR_BYTES;
            case 0x0B -> Kind.VARIABLE;
            case 0x03, 0x08, 0x12, 0x15, 0x1A, 0x1C, 0x1F -> Kind.STRING;
            case 0x09, 0x16 -> Kind.BINARY;
            case 0x26 -> Kind.PAIR;
            default -> throw new IllegalArgumentException("no such property " + id);
        };
    }

    /** A will for {@link #connect}. */
    record Will(String topic, String payload, int qos, boolean retain, Props properties) {
    }

    /** A property list being written: each {@code with} adds one property, encoded as its identifier says. */
    static final class Props {
        private final RawMqttClient.Body body = new RawMqttClient.Body();

        static Props none() {
            return new Props();
        }

        static Props of(int id, Object value) {
            return new Props().with(id, value);
        }

        Props with(int id, Object value) {
            body.bytes(id);
            switch (kind(id)) {
                case BYTE -> body.bytes((Integer) value);
                case TWO_BYTES -> body.bytes((Integer) value >> 8, (Integer) value & 0xFF);
                case FOUR_BYTES -> {
                    long v = ((Number) value).longValue();
                    body.bytes((int) (v >> 24) & 0xFF, (int) (v >> 16) & 0xFF, (int) (v >> 8) & 0xFF, (int) v & 0xFF);
                }
                case VARIABLE -> body.raw(variableByteInteger((Integer) value));
                case STRING -> body.string((String) value);
                case BINARY -> {
                    byte[] data = (byte[]) value;
                    body.bytes(data.length >> 8, data.length & 0xFF).raw(data);
                }
                case PAIR -> {
                    String[] pair = (String[]) value;
                    body.string(pair[0]).string(pair[1]);
                }
            }
            return this;
        }

        /** Bytes as they are, for property lists no client library would write. */
        Props raw(int... bytes) {
            body.bytes(bytes);
            return this;
        }

        /** The properties with their length in front, as they go into a packet. */
        byte[] encoded() {
            byte[] properties = body.toBytes();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(variableByteInteger(properties.length));
            out.writeBytes(properties);
            return out.toByteArray();
        }
    }

    /** A property as read. Values are Integer, Long (four-byte ones), String, byte[] or String[2] (user property). */
    record Property(int id, Object value) {
    }

    /** A packet's property list as read, and the offset just after it. */
    record Properties(List<Property> list, int end) {

        List<Object> all(int id) {
            return list.stream().filter(p -> p.id() == id).map(Property::value).toList();
        }

        /** The value of a property that may appear once, or null when absent. */
        Object get(int id) {
            List<Object> values = all(id);
            assertTrue(values.size() <= 1, "property " + id + " appears " + values.size() + " times");
            return values.isEmpty() ? null : values.get(0);
        }

        boolean has(int id) {
            return !all(id).isEmpty();
        }

        static Properties parse(byte[] bytes, int offset) {
            int[] pos = {offset};
            int length = readVariableByteInteger(bytes, pos);
            int end = pos[0] + length;
            List<Property> list = new ArrayList<>();
            while (pos[0] < end) {
                int id = bytes[pos[0]++] & 0xFF;
                Object value = switch (kind(id)) {
                    case BYTE -> bytes[pos[0]++] & 0xFF;
                    case TWO_BYTES -> readTwoBytes(bytes, pos);
                    case FOUR_BYTES -> ((long) readTwoBytes(bytes, pos) << 16) | readTwoBytes(bytes, pos);
                    case VARIABLE -> readVariableByteInteger(bytes, pos);
                    case STRING -> readString(bytes, pos);
                    case BINARY -> readBinary(bytes, pos);
                    case PAIR -> new String[] {readString(bytes, pos), readString(bytes, pos)};
                };
                list.add(new Property(id, value));
            }
            return new Properties(list, end);
        }
    }

    /** What a short DISCONNECT, AUTH or acknowledgement without a property length has. */
    private static final Properties NO_PROPERTIES = new Properties(List.of(), 0);

    /** A packet as read: the first byte of the fixed header and the bytes after the remaining length. */
    record Packet(int header, byte[] body) {

        int type() {
            return header >> 4;
        }

        int flags() {
            return header & 0x0F;
        }

        /** The whole packet's size on the wire. */
        int size() {
            return 1 + variableByteInteger(body.length).length + body.length;
        }

        /** The packet id of an acknowledgement, SUBACK or UNSUBACK. */
        int packetId() {
            return readTwoBytes(body, new int[] {0});
        }

        boolean sessionPresent() {
            return (body[0] & 1) == 1;
        }

        /** CONNACK's, DISCONNECT's, AUTH's or a PUBLISH acknowledgement's reason code (0 when left out). */
        int reasonCode() {
            return switch (type()) {
                case CONNACK -> body[1] & 0xFF;
                case DISCONNECT, AUTH -> body.length == 0 ? 0 : body[0] & 0xFF;
                case PUBACK, PUBREC, PUBREL, PUBCOMP -> body.length <= 2 ? 0 : body[2] & 0xFF;
                default -> throw new IllegalStateException("no single reason code in packet type " + type());
            };
        }

        Properties properties() {
            return switch (type()) {
                case CONNACK, SUBACK, UNSUBACK -> Properties.parse(body, 2);
                case DISCONNECT, AUTH -> body.length <= 1 ? NO_PROPERTIES : Properties.parse(body, 1);
                case PUBACK, PUBREC, PUBREL, PUBCOMP -> body.length <= 3 ? NO_PROPERTIES : Properties.parse(body, 3);
                case PUBLISH -> Properties.parse(body, 2 + topicLength() + (qos() > 0 ? 2 : 0));
                default -> throw new IllegalStateException("no properties in packet type " + type());
            };
        }

        /** SUBACK's or UNSUBACK's reason codes, one per topic filter. */
        List<Integer> reasonCodes() {
            List<Integer> codes = new ArrayList<>();
            for (int i = properties().end(); i < body.length; i++) {
                codes.add(body[i] & 0xFF);
            }
            return codes;
        }

        int qos() {
            return (header >> 1) & 0x03;
        }

        boolean retain() {
            return (header & 0x01) == 1;
        }

        private int topicLength() {
            return readTwoBytes(body, new int[] {0});
        }

        /** A PUBLISH's topic name; empty when a topic alias stands for it. */
        String topic() {
            return new String(body, 2, topicLength(), StandardCharsets.UTF_8);
        }

        /** The packet id of a QoS 1 or 2 PUBLISH. */
        int publishPacketId() {
            return readTwoBytes(body, new int[] {2 + topicLength()});
        }

        String payload() {
            int start = properties().end();
            return new String(body, start, body.length - start, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "packet type " + type() + ": " + HexFormat.ofDelimiter(" ").formatHex(bytes());
        }

        /** The whole packet as it came over the wire. */
        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(header);
            out.writeBytes(variableByteInteger(body.length));
            out.writeBytes(body);
            return out.toByteArray();
        }
    }

    private final RawMqttClient raw;

    RawMqtt5Client(int port) throws IOException {
        raw = new RawMqttClient(port);
    }

    RawMqtt5Client send(int... bytes) throws IOException {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (byte) bytes[i];
        }
        raw.send(out);
        return this;
    }

    RawMqtt5Client sendPacket(int header, RawMqttClient.Body body) throws IOException {
        raw.sendPacket(header, body.toBytes());
        return this;
    }

    /** CONNECT for MQTT 5 with keepalive 60 and no will. */
    RawMqtt5Client connect(String clientId, boolean cleanStart, Props properties) throws IOException {
        return connect(clientId, cleanStart, 60, properties, null);
    }

    RawMqtt5Client connect(String clientId, boolean cleanStart, int keepAlive, Props properties, Will will)
            throws IOException {
        int flags = (cleanStart ? 0x02 : 0)
                | (will == null ? 0 : 0x04 | will.qos() << 3 | (will.retain() ? 0x20 : 0));
        RawMqttClient.Body body = new RawMqttClient.Body().string("MQTT")
                .bytes(5, flags, keepAlive >> 8, keepAlive & 0xFF).raw(properties.encoded()).string(clientId);
        if (will != null) {
            body.raw(will.properties().encoded()).string(will.topic()).string(will.payload());
        }
        return sendPacket(0x10, body);
    }

    /** Connects, checks that CONNACK accepts, and returns the CONNACK. */
    Packet connectAccepted(String clientId, boolean cleanStart, Props properties) throws IOException {
        return accepted(connect(clientId, cleanStart, properties));
    }

    /** The same with a will, or none when null. */
    Packet connectAccepted(String clientId, boolean cleanStart, Props properties, Will will) throws IOException {
        return accepted(connect(clientId, cleanStart, 60, properties, will));
    }

    private static Packet accepted(RawMqtt5Client client) throws IOException {
        Packet connAck = client.expect(CONNACK);
        assertEquals(0, connAck.reasonCode(), () -> "CONNACK refused: " + connAck);
        return connAck;
    }

    RawMqtt5Client publish(String topic, String payload, int qos, int packetId, boolean retain, Props properties)
            throws IOException {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, packetId, retain, properties);
    }

    RawMqtt5Client publish(String topic, byte[] payload, int qos, int packetId, boolean retain, Props properties)
            throws IOException {
        return publish(topic, payload, qos, packetId, retain, properties, false);
    }

    /** A QoS 1 or 2 PUBLISH resent on a new connection of its session, so with the DUP flag. */
    RawMqtt5Client resend(String topic, String payload, int qos, int packetId) throws IOException {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, packetId, false, Props.none(), true);
    }

    private RawMqtt5Client publish(String topic, byte[] payload, int qos, int packetId, boolean retain,
            Props properties, boolean dup) throws IOException {
        RawMqttClient.Body body = new RawMqttClient.Body().string(topic);
        if (qos > 0) {
            body.bytes(packetId >> 8, packetId & 0xFF);
        }
        body.raw(properties.encoded()).raw(payload);
        return sendPacket(0x30 | (dup ? 0x08 : 0) | qos << 1 | (retain ? 1 : 0), body);
    }

    /**
     * SUBSCRIBE with one Subscription Options byte (QoS, No Local 0x04, Retain As Published 0x08, Retain
     * Handling << 4) for every filter.
     */
    RawMqtt5Client subscribe(int packetId, Props properties, int options, String... filters) throws IOException {
        RawMqttClient.Body body = new RawMqttClient.Body().bytes(packetId >> 8, packetId & 0xFF)
                .raw(properties.encoded());
        for (String filter : filters) {
            body.string(filter).bytes(options);
        }
        return sendPacket(0x82, body);
    }

    /** Subscribes to one filter and checks that SUBACK grants the QoS asked for. */
    void subscribed(String filter, int options) throws IOException {
        subscribe(1, Props.none(), options, filter);
        assertEquals(List.of(options & 0x03), expect(SUBACK).reasonCodes(), "SUBACK for " + filter);
    }

    RawMqtt5Client unsubscribe(int packetId, String... filters) throws IOException {
        RawMqttClient.Body body = new RawMqttClient.Body().bytes(packetId >> 8, packetId & 0xFF)
                .raw(Props.none().encoded());
        for (String filter : filters) {
            body.string(filter);
        }
        return sendPacket(0xA2, body);
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP with reason code Success, in the short form that leaves it out. */
    RawMqtt5Client ack(int type, int packetId) throws IOException {
        return sendPacket(type << 4 | (type == PUBREL ? 0x02 : 0),
                new RawMqttClient.Body().bytes(packetId >> 8, packetId & 0xFF));
    }

    RawMqtt5Client pingReq() throws IOException {
        return send(0xC0, 0x00);
    }

    /** PINGREQ, then the PINGRESP: everything the broker sent before it has been read by then. */
    void pingPong() throws IOException {
        pingReq();
        expect(PINGRESP);
    }

    RawMqtt5Client disconnect(int reasonCode, Props properties) throws IOException {
        return sendPacket(0xE0, new RawMqttClient.Body().bytes(reasonCode).raw(properties.encoded()));
    }

    RawMqtt5Client auth(int reasonCode, Props properties) throws IOException {
        return sendPacket(0xF0, new RawMqttClient.Body().bytes(reasonCode).raw(properties.encoded()));
    }

    /** The next packet, waiting up to 10 s. */
    Packet read() throws IOException {
        RawMqttClient.Packet packet = raw.read();
        return new Packet(packet.header(), packet.body());
    }

    Packet expect(int type) throws IOException {
        Packet packet = read();
        assertEquals(type, packet.type(), () -> "unexpected " + packet);
        return packet;
    }

    /**
     * Expects a DISCONNECT from the server with the reason code (or one of them), then the connection's close.
     * Checks the first three bytes exactly: {@code E0}, a remaining length that covers the rest, the reason code.
     */
    Packet expectDisconnect(int... reasonCodes) throws IOException {
        Packet disconnect = expect(DISCONNECT);
        int reasonCode = disconnect.reasonCode();
        assertTrue(Arrays.stream(reasonCodes).anyMatch(c -> c == reasonCode), "reason code of " + disconnect);
        assertStartsWith(String.format("e0 %02x %02x", disconnect.body().length, reasonCode), disconnect);
        assertTrue(closedWithin(5_000), "connection closed after the DISCONNECT");
        return disconnect;
    }

    /**
     * Expects the server to refuse a CONNECT with an error (4.13.1): it MUST close the connection and MAY first
     * send a CONNACK, which then carries the reason code (or one of them).
     */
    void expectConnectError(int... reasonCodes) throws IOException {
        Packet answer;
        try {
            answer = read();
        } catch (EOFException | SocketException e) {
            answer = null;
        }
        if (answer != null) {
            Packet connAck = answer;
            assertEquals(CONNACK, connAck.type(), () -> "unexpected " + connAck);
            assertTrue(Arrays.stream(reasonCodes).anyMatch(c -> c == connAck.reasonCode()),
                    "refused with " + connAck);
            assertStartsWith("20 ?? 00", connAck);
        }
        assertTrue(closedWithin(5_000), "connection closed after the refused CONNECT");
    }

    /** Checks the packet's first bytes, given in hex as "20 ?? 00 8c", where ?? stands for any byte. */
    static void assertStartsWith(String expected, Packet packet) {
        String[] want = expected.split(" ");
        String[] got = HexFormat.ofDelimiter(" ").formatHex(packet.bytes()).split(" ");
        boolean matches = got.length >= want.length;
        for (int i = 0; matches && i < want.length; i++) {
            matches = want[i].equals("??") || want[i].equalsIgnoreCase(got[i]);
        }
        assertTrue(matches, "expected " + expected + "... but got " + packet);
    }

    /** Sends bytes as they are, such as several packets in one write. */
    RawMqtt5Client sendBytes(byte[] bytes) throws IOException {
        raw.send(bytes);
        return this;
    }

    /** Writes the bytes from another thread; see {@link RawMqttClient#sendInBackground}. */
    CompletableFuture<Void> sendInBackground(byte[] bytes) {
        return raw.sendInBackground(bytes);
    }

    /** Reads to the end of the stream within the timeout; a reset fails with its IOException. */
    void expectEndOfStream(int millis) throws IOException {
        raw.expectEndOfStream(millis);
    }

    /** True when the server closes the connection within the timeout (anything it sends first is skipped). */
    boolean closedWithin(int millis) throws IOException {
        return raw.closedWithin(millis);
    }

    /** Closes the socket without a DISCONNECT, as a client that loses its network would. */
    @Override
    public void close() throws IOException {
        raw.close();
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

    private static int readVariableByteInteger(byte[] bytes, int[] pos) {
        int value = 0;
        int shift = 0;
        int digit;
        do {
            digit = bytes[pos[0]++] & 0xFF;
            value |= (digit & 0x7F) << shift;
            shift += 7;
        } while ((digit & 0x80) != 0);
        return value;
    }

    private static int readTwoBytes(byte[] bytes, int[] pos) {
        int value = ((bytes[pos[0]] & 0xFF) << 8) | (bytes[pos[0] + 1] & 0xFF);
        pos[0] += 2;
        return value;
    }

    private static byte[] readBinary(byte[] bytes, int[] pos) {
        int length = readTwoBytes(bytes, pos);
        byte[] data = Arrays.copyOfRange(bytes, pos[0], pos[0] + length);
        pos[0] += length;
        return data;
    }

    private static String readString(byte[] bytes, int[] pos) {
        return new String(readBinary(bytes, pos), StandardCharsets.UTF_8);
    }
}
