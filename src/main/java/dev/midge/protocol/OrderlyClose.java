package dev.midge.protocol;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection the broker decided to close so that the client reads everything sent before (a
 * DISCONNECT with its reason code, a refusing CONNACK) and then the end of the stream, not a reset. Closing a
 * socket while the client's bytes are still unread makes the kernel send RST, and a client that gets RST may
 * lose what was sent just before it. So: flush, send TLS close_notify, shut down output (half-close), then read
 * and discard what the client still sends until it closes too, or {@link #DRAIN_MILLIS} have passed.
 *
 * <p>A half-close does not end a WebSocket; there a close frame (1000 normal, or 1002 protocol error) follows
 * what is pending, and the connection closes once that is flushed.
 */
final class OrderlyClose {

    /** The longest a connection takes to close: its pending writes, close_notify, then waiting for the client. */
    static final long DRAIN_MILLIS = 2_000;

    private static final ChannelHandler DISCARD = new Discard();

    private OrderlyClose() {
    }

    /** @param protocolError whether the client broke the protocol (WebSocket status 1002 rather than 1000) */
    static void close(ChannelHandlerContext ctx, boolean protocolError) {
        Channel channel = ctx.channel();
        // One deadline for all steps, so it holds even when the pending writes never drain (a client not reading).
        ScheduledFuture<?> deadline = ctx.executor().schedule(() -> {
            ctx.close();
        }, DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> deadline.cancel(false));
        if (!channel.isActive()) {
            ctx.close();
            return;
        }
        if (ctx.pipeline().get(WebSocketServerProtocolHandler.class) != null) {
            WebSocketCloseStatus status = protocolError ? WebSocketCloseStatus.PROTOCOL_ERROR
                    : WebSocketCloseStatus.NORMAL_CLOSURE;
            ctx.writeAndFlush(new CloseWebSocketFrame(status)).addListener(f -> ctx.close());
            return;
        }
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(flushed -> {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (!flushed.isSuccess() || !channel.isActive()) {
                ctx.close();
            } else if (tls != null) {
                tls.closeOutbound().addListener(f -> halfClose(ctx));
            } else {
                halfClose(ctx);
            }
        });
    }

    private static void halfClose(ChannelHandlerContext ctx) {
        Channel channel = ctx.channel();
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
            ctx.close();
            return;
        }
        channel.pipeline().addFirst(DISCARD);
        channel.config().setAutoRead(true);
        duplex.shutdownOutput().addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
            }
        });
    }

    /** Reads and drops what a half-closed client still sends, so that nothing unread is left to cause RST. */
    @ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
