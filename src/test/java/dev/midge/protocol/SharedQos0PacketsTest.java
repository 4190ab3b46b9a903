package dev.midge.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.midge.message.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SharedQos0PacketsTest {

    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    /** The packet Netty's own encoder writes for this message at QoS 0, as MQTT 3.1.1. */
    private static byte[] encodedByNetty(Message message, boolean retain) {
        EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
        channel.writeOutbound(new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_MOST_ONCE, retain, 0),
                new MqttPublishVariableHeader(message.topic(), 0), Unpooled.wrappedBuffer(message.payload())));
        ByteBuf out = channel.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(out);
        out.release();
        channel.finishAndReleaseAll();
        return bytes;
    }

    private static byte[] bytesOf(ByteBuf packet) {
        byte[] bytes = ByteBufUtil.getBytes(packet);
        packet.release();
        return bytes;
    }

    private static Message message(String topic, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        return new Message(topic, payload, 0, false);
    }

    @Test
    void theFirstSubscriberGetsNothingSharedAndTheSecondTheSameBytesAsTheEncoder() {
        Message message = message("fan/out", 64);
        assertNull(SharedQos0Packets.packet(message, false, alloc));
        assertArrayEquals(encodedByNetty(message, false), bytesOf(SharedQos0Packets.packet(message, false, alloc)));
        assertArrayEquals(encodedByNetty(message, false), bytesOf(SharedQos0Packets.packet(message, false, alloc)));
    }

    @Test
    void retainFlagMultiByteLengthsAndNonAsciiTopicsAreEncodedAsTheEncoderDoes() {
        for (int payloadBytes : new int[] {0, 1, 120, 130, 16_000}) {
            for (boolean retain : new boolean[] {false, true}) {
                Message message = message("capteurs/température/été/" + payloadBytes, payloadBytes);
                SharedQos0Packets.packet(message, retain, alloc);
                ByteBuf shared = SharedQos0Packets.packet(message, retain, alloc);
                assertNotNull(shared, payloadBytes + " bytes");
                assertArrayEquals(encodedByNetty(message, retain), bytesOf(shared), payloadBytes + " bytes");
            }
        }
    }

    @Test
    void anotherMessageOrRetainFlagStartsAgainAndAnOldReferenceStaysReadable() {
        Message first = message("a", 10);
        SharedQos0Packets.packet(first, false, alloc);
        ByteBuf kept = SharedQos0Packets.packet(first, false, alloc);
        assertNull(SharedQos0Packets.packet(first, true, alloc));
        Message second = message("b", 10);
        assertNull(SharedQos0Packets.packet(second, false, alloc));
        assertArrayEquals(encodedByNetty(first, false), bytesOf(kept));
        assertEquals(0, kept.refCnt());
    }

    @Test
    void aLargeMessageIsNeverKept() {
        Message large = message("big", SharedQos0Packets.MAX_SHARED_BYTES);
        assertNull(SharedQos0Packets.packet(large, false, alloc));
        assertNull(SharedQos0Packets.packet(large, false, alloc));
        Message small = new Message("t", "x".getBytes(StandardCharsets.UTF_8), 0, false);
        assertNull(SharedQos0Packets.packet(small, false, alloc));
        ByteBuf shared = SharedQos0Packets.packet(small, false, alloc);
        assertNotNull(shared);
        shared.release();
    }
}
