package dev.midge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.midge.protocol.MqttConnection;
import dev.midge.stats.BrokerStats;
import dev.midge.testing.RawMqttClient;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The splitter in memory: what it passes on, and the first bytes it refuses before a packet is whole. */
class MqttFrameSplitterTest {

    private static final byte[] CONNECT = RawMqttClient.packet(0x10, new RawMqttClient.Body().string("MQTT")
            .bytes(4, 0x02, 0, 60).string("splitter").toBytes());

    private final List<MqttMessageType> decoded = new ArrayList<>();
    private Throwable failure;
    private EmbeddedChannel channel;

    private final BrokerStats stats = new BrokerStats();

    @BeforeEach
    void pipeline() {
        MqttFrameSplitter splitter = new MqttFrameSplitter(1024, 1024, TimeUnit.SECONDS.toNanos(10), stats);
        channel = new EmbeddedChannel(splitter, new MqttDecoder(1024), splitter.decodedMarker(),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        decoded.add(((MqttMessage) msg).fixedHeader().messageType());
                        ReferenceCountUtil.release(msg);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        failure = cause;
                    }
                });
    }

    @Test
    void aPacketNotWholeWithinTheReadTimeoutOfItsFirstReadFailsTheConnection() {
        channel.writeInbound(Unpooled.wrappedBuffer(CONNECT, 0, 5));
        channel.advanceTimeBy(6, TimeUnit.SECONDS);
        channel.writeInbound(Unpooled.wrappedBuffer(CONNECT, 5, 5));
        channel.advanceTimeBy(3, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertNull(failure, "9 s after the packet began");
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertInstanceOf(ReadTimeoutException.class, failure);
        assertEquals(1, stats.packetReadTimeouts());
    }

    @Test
    void eachPacketHasItsOwnDeadlineFromTheReadItBeganInAndAWholePacketNone() {
        byte[] restAndPingStart = new byte[CONNECT.length - 5 + 1];
        System.arraycopy(CONNECT, 5, restAndPingStart, 0, CONNECT.length - 5);
        restAndPingStart[restAndPingStart.length - 1] = (byte) 0xC0;
        channel.writeInbound(Unpooled.wrappedBuffer(CONNECT, 0, 5));
        channel.advanceTimeBy(8, TimeUnit.SECONDS);
        // The CONNECT completes and a PINGREQ begins in the same read: the PINGREQ's deadline runs from here.
        channel.writeInbound(Unpooled.wrappedBuffer(restAndPingStart));
        channel.advanceTimeBy(8, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertNull(failure, "8 s after the PINGREQ began");
        write(0x00);
        assertEquals(List.of(MqttMessageType.CONNECT, MqttMessageType.PINGREQ), decoded);
        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertNull(failure, "nothing under way");
        assertEquals(0, stats.packetReadTimeouts());
    }

    private void write(int... bytes) {
        byte[] data = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            data[i] = (byte) bytes[i];
        }
        channel.writeInbound(Unpooled.wrappedBuffer(data));
    }

    @Test
    void aFirstByteOtherThanConnectFailsAtOnce() {
        write(0x30);
        assertInstanceOf(CorruptedFrameException.class, failure);
        assertEquals(List.of(), decoded);
    }

    @Test
    void connectsFirstByteAloneWaitsForTheRest() {
        write(0x10);
        assertNull(failure);
        channel.writeInbound(Unpooled.wrappedBuffer(CONNECT, 1, CONNECT.length - 1));
        assertNull(failure);
        assertEquals(List.of(MqttMessageType.CONNECT), decoded);
    }

    @Test
    void aReservedTypeAfterConnectFailsOnItsFirstByte() {
        channel.writeInbound(Unpooled.wrappedBuffer(CONNECT));
        write(0xC0, 0x00);
        assertNull(failure);
        write(0x00);
        assertInstanceOf(CorruptedFrameException.class, failure);
        assertEquals(List.of(MqttMessageType.CONNECT, MqttMessageType.PINGREQ), decoded);
    }

    @Test
    void authIsReservedUntilTheConnectionSpeaksMqtt5() {
        channel.writeInbound(Unpooled.wrappedBuffer(CONNECT));
        write(0xF0);
        assertInstanceOf(CorruptedFrameException.class, failure);
    }

    @Test
    void authsFirstByteIsAcceptedOnAnMqtt5Connection() {
        channel.writeInbound(Unpooled.wrappedBuffer(CONNECT));
        channel.attr(MqttConnection.MQTT5).set(true);
        write(0xF0);
        assertNull(failure);
    }

    @Test
    void aSecondConnectIsNotAFirstByteMatter() {
        channel.writeInbound(Unpooled.wrappedBuffer(CONNECT));
        channel.writeInbound(Unpooled.wrappedBuffer(CONNECT));
        assertNull(failure);
        assertEquals(List.of(MqttMessageType.CONNECT, MqttMessageType.CONNECT), decoded);
    }
}
