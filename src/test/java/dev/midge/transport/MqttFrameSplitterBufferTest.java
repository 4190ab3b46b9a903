package dev.midge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import dev.midge.stats.BrokerStats;
import dev.midge.testing.RawMqttClient;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How the frame splitter holds a packet that arrives in many small reads. */
class MqttFrameSplitterBufferTest {

    private static final byte[] CONNECT = RawMqttClient.packet(0x10, new RawMqttClient.Body().string("MQTT")
            .bytes(4, 0x02, 0, 60).string("buffer").toBytes());

    /** The splitter takes nothing but a CONNECT first. */
    private static EmbeddedChannel connected(MqttFrameSplitter splitter) {
        EmbeddedChannel channel = new EmbeddedChannel(splitter, new MqttDecoder(1 << 20), splitter.decodedMarker());
        channel.writeInbound(Unpooled.wrappedBuffer(CONNECT));
        ReferenceCountUtil.release(channel.readInbound());
        return channel;
    }

    /**
     * Kept as one component per read, a packet trickled in a byte per read would hold a whole read buffer (often
     * kilobytes) for each byte. Copied into one buffer, each read's buffer is let go as soon as it is read.
     */
    @Test
    void aPacketArrivingAByteAtATimeIsCopiedOutOfEachReadBuffer() {
        MqttFrameSplitter splitter = new MqttFrameSplitter(1 << 20, 1024, TimeUnit.SECONDS.toNanos(10), new BrokerStats());
        EmbeddedChannel channel = connected(splitter);
        byte[] payload = new byte[300];
        byte[] packet = publish("trickle", payload);
        List<ByteBuf> reads = new ArrayList<>();
        for (byte b : packet) {
            // A large buffer holding one byte, as a socket read of a single byte gives.
            ByteBuf read = Unpooled.buffer(2048).writeByte(b);
            reads.add(read);
            channel.writeInbound(read);
        }
        for (int i = 1; i < reads.size() - 1; i++) {
            assertEquals(0, reads.get(i).refCnt(), "read buffer " + i + " still held");
        }
        MqttPublishMessage message = assertInstanceOf(MqttPublishMessage.class, channel.readInbound());
        assertEquals("trickle", message.variableHeader().topicName());
        assertEquals(payload.length, message.payload().readableBytes());
        message.release();
        assertNull(channel.readInbound());
        channel.finishAndReleaseAll();
    }

    @Test
    void packetsSplitAcrossReadsInAnyWayComeOutWhole() {
        MqttFrameSplitter splitter = new MqttFrameSplitter(1 << 20, 1024, TimeUnit.SECONDS.toNanos(10), new BrokerStats());
        EmbeddedChannel channel = connected(splitter);
        byte[] first = publish("a", new byte[10]);
        byte[] second = publish("b", new byte[500]);
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        int[] cuts = {3, first.length + 1, first.length + 200, both.length};
        int from = 0;
        for (int cut : cuts) {
            channel.writeInbound(Unpooled.wrappedBuffer(both, from, cut - from));
            from = cut;
        }
        for (String topic : new String[] {"a", "b"}) {
            MqttPublishMessage message = assertInstanceOf(MqttPublishMessage.class, channel.readInbound());
            assertEquals(topic, message.variableHeader().topicName());
            message.release();
        }
        assertNull(channel.readInbound());
        channel.finishAndReleaseAll();
    }

    /** A QoS 0 PUBLISH: header 0x30, remaining length, topic, payload. */
    private static byte[] publish(String topic, byte[] payload) {
        ByteBuf buf = Unpooled.buffer();
        int remaining = 2 + topic.length() + payload.length;
        buf.writeByte(0x30);
        do {
            int digit = remaining % 128;
            remaining /= 128;
            buf.writeByte(remaining > 0 ? digit | 0x80 : digit);
        } while (remaining > 0);
        buf.writeShort(topic.length()).writeBytes(topic.getBytes()).writeBytes(payload);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }
}
