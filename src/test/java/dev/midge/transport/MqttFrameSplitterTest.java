package dev.midge.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.midge.protocol.MqttConnection;
import dev.midge.testing.RawMqttClient;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The splitter in memory: what it passes on, and the first bytes it refuses before a packet is whole. */
class MqttFrameSplitterTest {

    private static final byte[] CONNECT = RawMqttClient.packet(0x10, new RawMqttClient.Body().string("MQTT")
            .bytes(4, 0x02, 0, 60).string("splitter").toBytes());

    private final List<MqttMessageType> decoded = new ArrayList<>();
    private Throwable failure;
    private EmbeddedChannel channel;

    @BeforeEach
    void pipeline() {
        MqttFrameSplitter splitter = new MqttFrameSplitter(1024, 1024);
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
