package dev.midge.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client whose frames come from the fuzzer: an HTTP upgrade (now and then a fuzzed one), then
 * frames with any opcode, flags, mask and length encoding, carrying a valid CONNECT or fuzzed bytes.
 */
final class WebSocketClient {

    static final byte[] UPGRADE = ("GET /mqtt HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Protocol: mqtt\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    static final byte[] CONNECT = new PacketEncoder(MqttVersion.MQTT_5).encode(MqttMessageBuilders.connect()
            .clientId("ws").protocolVersion(MqttVersion.MQTT_5).cleanSession(true).build());

    private static final int MAX_FRAMES = 32;
    private static final int[] OPCODES = {0x0, 0x1, 0x2, 0x8, 0x9, 0xA, 0x3, 0xF};

    private final FuzzedDataProvider data;

    WebSocketClient(FuzzedDataProvider data) {
        this.data = data;
    }

    void play(FuzzedConnection connection) {
        byte[] upgrade = data.consumeInt(0, 15) == 0 ? data.consumeBytes(data.consumeInt(0, 300)) : UPGRADE;
        if (!connection.feed(upgrade)) {
            return;
        }
        for (int i = 0; i < MAX_FRAMES && data.remainingBytes() > 0; i++) {
            byte[] payload = i == 0 && data.consumeBoolean() ? CONNECT : data.consumeBytes(data.consumeInt(0, 200));
            if (!connection.feed(frame(payload))) {
                return;
            }
        }
    }

    private byte[] frame(byte[] payload) {
        int flags = data.consumeInt(0, 7) == 0 ? data.consumeInt(0, 0xF) : 0x8;
        int first = flags << 4 | data.pickValue(OPCODES);
        boolean masked = data.consumeInt(0, 7) != 0;
        int lengthForm = data.consumeInt(0, 7) == 0 ? data.consumeInt(0, 2) : -1;
        return frame(first, masked, lengthForm, payload);
    }

    /** A final binary frame, masked as a client's must be, or not. */
    static byte[] binaryFrame(boolean masked, byte[] payload) {
        return frame(0x82, masked, -1, payload);
    }

    /**
     * @param first the first byte: FIN, the reserved bits and the opcode
     * @param lengthForm 0, 1 or 2 for the 7-bit, 16-bit or 64-bit length whatever the length; -1 for the
     *     shortest that fits, as senders should
     */
    private static byte[] frame(int first, boolean masked, int lengthForm, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write(first);
        int length = payload.length;
        int mask = masked ? 0x80 : 0;
        if (lengthForm == 2) {
            out.write(mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) length >>> shift) & 0xFF);
            }
        } else if (lengthForm == 1 || length > 125) {
            out.write(mask | 126);
            out.write(length >>> 8 & 0xFF);
            out.write(length & 0xFF);
        } else {
            out.write(mask | length);
        }
        byte[] key = {1, 2, 3, 4};
        if (masked) {
            out.writeBytes(key);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
        }
        return out.toByteArray();
    }
}
