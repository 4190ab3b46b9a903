package dev.midge.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection of an {@link InMemoryBroker} fed bytes as a client would send them. Its channel allocates from
 * a {@link TrackingAllocator}, the bytes fed included, so that once the connection is closed it can tell whether
 * the pipeline released every buffer.
 */
final class FuzzedConnection {

    private final EmbeddedChannel channel;
    private final ExceptionRecorder recorder = new ExceptionRecorder();
    private final TrackingAllocator allocator = new TrackingAllocator();
    private final List<String> faults = new ArrayList<>();
    private final ByteBuf received;
    private long bytesFed;
    private long bytesSent;

    FuzzedConnection(InMemoryBroker broker, boolean webSocket, boolean keepReceived) {
        this.channel = broker.connect(webSocket, allocator, recorder);
        this.received = keepReceived ? Unpooled.buffer() : null;
    }

    /** Feeds bytes unless the broker closed the connection; false once it is closed. */
    boolean feed(byte[] bytes, int from, int length) {
        if (!channel.isOpen()) {
            return false;
        }
        ByteBuf buf = channel.alloc().buffer(length).writeBytes(bytes, from, length);
        bytesFed += length;
        channel.writeInbound(buf);
        settle();
        return channel.isOpen();
    }

    boolean feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }

    /** Runs what the connection's loop has queued, and takes (and lets go of) what the broker sent. */
    void settle() {
        for (int round = 0; round < 10 && channel.hasPendingTasks(); round++) {
            channel.runPendingTasks();
        }
        ChannelOutboundBuffer pending = channel.unsafe().outboundBuffer();
        if (pending != null && pending.totalPendingWriteBytes() > 0) {
            channel.flush();
        }
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            ByteBuf bytes = out instanceof ByteBuf buf ? buf
                    : out instanceof ByteBufHolder holder ? holder.content() : null;
            if (bytes != null) {
                bytesSent += bytes.readableBytes();
                if (received != null) {
                    received.writeBytes(bytes, bytes.readerIndex(), bytes.readableBytes());
                }
            }
            ReferenceCountUtil.release(out);
        }
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    long bytesFed() {
        return bytesFed;
    }

    long bytesSent() {
        return bytesSent;
    }

    /** What the broker sent since the last call, when kept. */
    byte[] takeReceived() {
        byte[] bytes = new byte[received.readableBytes()];
        received.readBytes(bytes);
        received.clear();
        return bytes;
    }

    EmbeddedChannel channel() {
        return channel;
    }

    /** Closes the connection (if the broker has not) and lists what went wrong in its life. */
    List<String> closeAndCheck() {
        channel.close();
        settle();
        faults.addAll(recorder.faults());
        try {
            channel.checkException();
        } catch (Throwable e) {
            faults.add("exception left in the channel: " + ExceptionRecorder.describe(e));
        }
        for (String held : allocator.unreleased()) {
            faults.add("not released after close: " + held);
        }
        if (received != null) {
            received.release();
        }
        return faults;
    }
}
