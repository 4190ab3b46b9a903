package dev.midge.fuzz;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The last handler of a connection under test: whatever gets past the protocol handler, an exception or a
 * message nobody took, would reach Netty's default handler on a real socket, so it is recorded here as a fault.
 */
final class ExceptionRecorder extends ChannelInboundHandlerAdapter {

    private final List<String> faults = new ArrayList<>();

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        faults.add("exception reached the end of the pipeline: " + describe(cause));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        faults.add("message reached the end of the pipeline: " + msg.getClass().getName());
        ReferenceCountUtil.release(msg);
    }

    List<String> faults() {
        return faults;
    }

    static String describe(Throwable cause) {
        StringBuilder text = new StringBuilder(cause.toString());
        StackTraceElement[] stack = cause.getStackTrace();
        for (int i = 0; i < Math.min(30, stack.length); i++) {
            text.append("\n\tat ").append(stack[i]);
        }
        return text.toString();
    }
}
