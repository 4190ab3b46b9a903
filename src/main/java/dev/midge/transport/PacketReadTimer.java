package dev.midge.transport;

import dev.midge.stats.BrokerStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.ReadTimeoutException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cuts a connection whose packet takes longer than {@code midge.packet-read-timeout} from its first byte to its
 * last. Keepalive does not catch a packet that trickles in (every byte resets the idle timer), so a client could
 * otherwise hold a buffer of up to {@code max-packet-size} for as long as it likes. Two handlers around the
 * frame splitter count the bytes that go in and the bytes that come out as whole packets; while there is a
 * difference, a packet is under way, and its deadline runs from the read in which it began.
 */
final class PacketReadTimer {

    private final long timeoutNanos;
    private final BrokerStats stats;
    private long bytesIn;
    private long bytesFramed;
    private long framesOut;
    private ScheduledFuture<?> deadline;

    PacketReadTimer(long timeoutNanos, BrokerStats stats) {
        this.timeoutNanos = timeoutNanos;
        this.stats = stats;
    }

    /** Goes before the frame splitter: counts the bytes read, and after each read sets or clears the deadline. */
    ChannelInboundHandlerAdapter bytesIn() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf buf) {
                    bytesIn += buf.readableBytes();
                }
                long framesBefore = framesOut;
                ctx.fireChannelRead(msg);
                boolean underWay = bytesIn > bytesFramed;
                if (framesOut != framesBefore || !underWay) {
                    // The packet that was under way is complete; a new one began in this read, if any is left.
                    cancel();
                }
                if (underWay && deadline == null && ctx.channel().isActive()) {
                    deadline = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                cancel();
                ctx.fireChannelInactive();
            }

            @Override
            public void handlerRemoved(ChannelHandlerContext ctx) {
                cancel();
            }
        };
    }

    /** Goes right after the frame splitter: counts the whole packets it lets through. */
    ChannelInboundHandlerAdapter framesOut() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf frame) {
                    bytesFramed += frame.readableBytes();
                    framesOut++;
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    private void expire(ChannelHandlerContext ctx) {
        deadline = null;
        if (ctx.channel().isActive()) {
            stats.packetReadTimeout();
            // The protocol handler answers this as it does a keepalive timeout.
            ctx.fireExceptionCaught(ReadTimeoutException.INSTANCE);
        }
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
