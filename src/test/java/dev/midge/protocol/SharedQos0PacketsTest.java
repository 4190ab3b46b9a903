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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedQos0PacketsTest {

    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    /** The event loop's queue, run by hand. */
    private final List<Runnable> loopTasks = new ArrayList<>();

    private ByteBuf packet(Message message, boolean retain) {
        return SharedQos0Packets.packet(message, retain, alloc, loopTasks::add);
    }

    private void runLoopTasks() {
        List<Runnable> tasks = new ArrayList<>(loopTasks);
        loopTasks.clear();
        tasks.forEach(Runnable::run);
    }

    @AfterEach
    void endOfBurst() {
        runLoopTasks();
    }

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
        assertNull(packet(message, false));
        assertArrayEquals(encodedByNetty(message, false), bytesOf(packet(message, false)));
        assertArrayEquals(encodedByNetty(message, false), bytesOf(packet(message, false)));
    }

    @Test
    void retainFlagMultiByteLengthsAndNonAsciiTopicsAreEncodedAsTheEncoderDoes() {
        for (int payloadBytes : new int[] {0, 1, 120, 130, 16_000}) {
            for (boolean retain : new boolean[] {false, true}) {
                Message message = message("capteurs/température/été/" + payloadBytes, payloadBytes);
                packet(message, retain);
                ByteBuf shared = packet(message, retain);
                assertNotNull(shared, payloadBytes + " bytes");
                assertArrayEquals(encodedByNetty(message, retain), bytesOf(shared), payloadBytes + " bytes");
            }
        }
    }

    @Test
    void anotherMessageOrRetainFlagStartsAgainAndAnOldReferenceStaysReadable() {
        Message first = message("a", 10);
        packet(first, false);
        ByteBuf kept = packet(first, false);
        assertNull(packet(first, true));
        Message second = message("b", 10);
        assertNull(packet(second, false));
        assertArrayEquals(encodedByNetty(first, false), bytesOf(kept));
        assertEquals(0, kept.refCnt());
    }

    @Test
    void aLargeMessageIsNeverKept() {
        Message large = message("big", SharedQos0Packets.MAX_SHARED_BYTES);
        assertNull(packet(large, false));
        assertNull(packet(large, false));
        Message small = new Message("t", "x".getBytes(StandardCharsets.UTF_8), 0, false);
        assertNull(packet(small, false));
        ByteBuf shared = packet(small, false);
        assertNotNull(shared);
        shared.release();
    }

    @Test
    void thePacketIsLetGoAtTheEndOfTheBurstThatEncodedIt() {
        Message message = message("burst", 10);
        packet(message, false);
        ByteBuf kept = packet(message, false);
        // Down to the buffer that was encoded: a leak detector's sample wraps it once more, and the retained
        // duplicate under that wrapper counts its own references.
        ByteBuf encoded = kept;
        while (encoded.unwrap() != null) {
            encoded = encoded.unwrap();
        }
        assertEquals(2, encoded.refCnt(), "the loop's reference and the writer's");
        runLoopTasks();
        assertEquals(1, encoded.refCnt(), "the writer's alone");
        kept.release();
        assertEquals(0, encoded.refCnt());
        assertNull(packet(message, false), "encoded again only when asked twice again");
    }
}
