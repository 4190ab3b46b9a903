package dev.midge.transport;

import dev.midge.protocol.MqttConnection;
import dev.midge.stats.BrokerStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.Attribute;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cuts the byte stream into whole MQTT packets by their fixed header before Netty's MQTT decoder sees them.
 * That decoder reads a packet's fields without stopping at its declared length, so a packet shorter than its
 * own fields would make it wait for, or eat into, the next packet. Here every complete frame must come out of
 * the decoder as exactly one packet; a frame that does not is malformed, and so is a remaining length over
 * four bytes or a packet over the size limit, all reported before anything is buffered.
 *
 * <p>The first byte of each packet is judged as soon as it arrives, not once the packet is whole: a
 * connection's first packet must start with CONNECT's 0x10, and no packet may be of a reserved type (0, or
 * 15 before the connection speaks MQTT 5, where it is AUTH). Otherwise a stream of garbage would be held open
 * until {@code midge.connect-timeout} while the splitter waited for the length it seemed to declare.
 *
 * <p>A packet must also arrive whole within {@code midge.packet-read-timeout} of the read in which it began.
 * Keepalive does not catch a packet that trickles in (every byte resets the idle timer), so a client could
 * otherwise hold a buffer of up to {@code max-packet-size} for as long as it likes. The splitter is where a
 * packet is known to be under way: bytes left over after a read.
 */
final class MqttFrameSplitter extends ChannelInboundHandlerAdapter {

    /** CONNECT's first byte: type 1, no flags. */
    private static final int CONNECT = 0x10;
    /** AUTH's packet type; reserved before MQTT 5. */
    private static final int AUTH = 15;

    private final int maxPacketSize;
    private final int maxUserProperties;
    private final long readTimeoutNanos;
    private final BrokerStats stats;
    private ByteBuf cumulation;
    /** When the packet under way must be whole; null while none is. */
    private ScheduledFuture<?> readDeadline;
    private Attribute<Boolean> mqtt5;
    private boolean packetDecoded;
    private boolean failed;
    private boolean connectSeen;

    MqttFrameSplitter(int maxPacketSize, int maxUserProperties, long readTimeoutNanos, BrokerStats stats) {
        this.maxPacketSize = maxPacketSize;
        this.maxUserProperties = maxUserProperties;
        this.readTimeoutNanos = readTimeoutNanos;
        this.stats = stats;
    }

    /** The handler to place right after the MQTT decoder: it notes that the current frame gave a packet. */
    ChannelInboundHandlerAdapter decodedMarker() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                packetDecoded = true;
                ctx.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        mqtt5 = ctx.channel().attr(MqttConnection.MQTT5);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (failed) {
            in.release();
            return;
        }
        // One buffer, grown by copying, rather than one component per read: a packet trickled in a byte per read
        // would otherwise hold a whole read buffer per byte.
        cumulation = cumulation == null ? in
                : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
        boolean framed = false;
        try {
            while (!failed && ctx.channel().isActive()) {
                if (cumulation.isReadable()) {
                    checkFirstByte(cumulation.getUnsignedByte(cumulation.readerIndex()));
                }
                int frameLength = frameLength(cumulation);
                if (frameLength < 0 || cumulation.readableBytes() < frameLength) {
                    break;
                }
                if (Boolean.TRUE.equals(mqtt5.get())) {
                    Mqtt5FrameCheck.check(cumulation.slice(cumulation.readerIndex(), frameLength), maxUserProperties);
                }
                packetDecoded = false;
                connectSeen = true;
                framed = true;
                ctx.fireChannelRead(cumulation.readRetainedSlice(frameLength));
                if (!packetDecoded) {
                    fail(ctx, new CorruptedFrameException("packet shorter than its fields"));
                }
            }
        } catch (DecoderException e) {
            fail(ctx, e);
        }
        if (cumulation == null) {
            return; // released by a handler removal while the frames were handled
        }
        if (cumulation.isReadable()) {
            if (cumulation.refCnt() == 1) {
                // Not while a frame cut from it is still held: that would move the frame's bytes.
                cumulation.discardSomeReadBytes();
            }
        } else {
            // Nothing left over, as after most reads: an idle connection holds no buffer.
            release();
        }
        timeRead(ctx, framed);
    }

    /**
     * After a read: a packet that began in it gets its deadline from now, one that began earlier keeps its
     * own, and none under way needs none.
     */
    private void timeRead(ChannelHandlerContext ctx, boolean framed) {
        boolean underWay = cumulation != null && !failed;
        if (framed || !underWay) {
            cancelReadDeadline();
        }
        if (underWay && readDeadline == null && ctx.channel().isActive()) {
            readDeadline = ctx.executor().schedule(() -> readTimedOut(ctx), readTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void readTimedOut(ChannelHandlerContext ctx) {
        readDeadline = null;
        if (ctx.channel().isActive()) {
            stats.packetReadTimeout();
            // The protocol handler answers this as it does a keepalive timeout.
            ctx.fireExceptionCaught(ReadTimeoutException.INSTANCE);
        }
    }

    private void cancelReadDeadline() {
        if (readDeadline != null) {
            readDeadline.cancel(false);
            readDeadline = null;
        }
    }

    /** Fails on a first packet other than CONNECT, and on a reserved packet type at any time. */
    private void checkFirstByte(int first) {
        if (!connectSeen && first != CONNECT) {
            throw new CorruptedFrameException(String.format("first packet is not a CONNECT (0x%02x)", first));
        }
        int type = first >> 4;
        if (type == 0 || (type == AUTH && !Boolean.TRUE.equals(mqtt5.get()))) {
            throw new CorruptedFrameException("reserved packet type " + type);
        }
    }

    /** The whole frame's length, or -1 while its fixed header is still incomplete. */
    private int frameLength(ByteBuf buf) {
        int start = buf.readerIndex();
        int remaining = 0;
        for (int i = 0; i < 4; i++) {
            if (buf.readableBytes() < 2 + i) {
                return -1;
            }
            int digit = buf.getUnsignedByte(start + 1 + i);
            remaining |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0) {
                long total = 2L + i + remaining;
                if (total > maxPacketSize) {
                    throw new TooLongFrameException("packet of " + total + " bytes over the limit " + maxPacketSize);
                }
                return (int) total;
            }
        }
        throw new CorruptedFrameException("remaining length longer than 4 bytes");
    }

    private void fail(ChannelHandlerContext ctx, DecoderException cause) {
        failed = true;
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        cancelReadDeadline();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
        cancelReadDeadline();
    }

    private void release() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }
}
