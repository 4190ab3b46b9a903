package dev.midge.transport;

import dev.midge.stats.BrokerStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes a connection reads and writes into {@link BrokerStats}. It sits below the MQTT codec, so it
 * sees raw buffers; written bytes count when handed to the socket's outbound buffer, not when on the wire.
 */
@ChannelHandler.Sharable
final class TrafficCounter extends ChannelDuplexHandler {

    private final BrokerStats stats;

    TrafficCounter(BrokerStats stats) {
        this.stats = stats;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            stats.bytesReceived(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            stats.bytesSent(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
