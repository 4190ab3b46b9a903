package dev.midge.protocol;

import dev.midge.message.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.Executor;

/**
 * One encoded MQTT 3 PUBLISH at QoS 0 shared by the subscribers of one event loop. A fan-out hands the same
 * message to every subscriber on the loop one after the other, and at QoS 0 without DUP their packets are the
 * same bytes: encoding them once and writing a reference to each socket saves an encoding and a copy per
 * subscriber. MQTT 5 packets carry what differs per connection (topic aliases, subscription identifiers), so
 * they are encoded one by one as before.
 *
 * <p>A message is encoded here only when a second subscriber on the loop asks for it, so that one-to-one
 * traffic pays no extra copy. The packet is let go by a task queued on the loop as it is encoded: the deliveries
 * of a fan-out queued before that task share it, and no buffer outlives the burst. Packets above
 * {@link #MAX_SHARED_BYTES} are not shared.
 */
final class SharedQos0Packets {

    static final int MAX_SHARED_BYTES = 16 * 1024;
    private static final int PUBLISH = 0x30;

    private static final FastThreadLocal<SharedQos0Packets> PER_LOOP = new FastThreadLocal<>() {
        @Override
        protected SharedQos0Packets initialValue() {
            return new SharedQos0Packets();
        }

        @Override
        protected void onRemoval(SharedQos0Packets value) {
            value.forget();
        }
    };

    private Message lastMessage;
    private boolean lastRetain;
    private ByteBuf packet;

    /**
     * A reference to the encoded packet, for the caller to write, or null when the message is better encoded
     * for this subscriber alone: the first time the loop sees it, or when it is too large to keep.
     */
    static ByteBuf packet(Message message, boolean retain, ByteBufAllocator alloc, Executor loop) {
        return PER_LOOP.get().lookup(message, retain, alloc, loop);
    }

    private ByteBuf lookup(Message message, boolean retain, ByteBufAllocator alloc, Executor loop) {
        if (message.payload().length > MAX_SHARED_BYTES) {
            return null;
        }
        if (message != lastMessage || retain != lastRetain) {
            forget();
            lastMessage = message;
            lastRetain = retain;
            return null;
        }
        if (packet == null) {
            int remaining = 2 + ByteBufUtil.utf8Bytes(message.topic()) + message.payload().length;
            if (Packets.packetSize(remaining) > MAX_SHARED_BYTES) {
                return null;
            }
            ByteBuf encoded = encode(message, retain, remaining, alloc);
            packet = encoded;
            loop.execute(() -> {
                if (packet == encoded) {
                    forget();
                }
            });
        }
        return packet.retainedDuplicate();
    }

    private static ByteBuf encode(Message message, boolean retain, int remaining, ByteBufAllocator alloc) {
        ByteBuf buf = alloc.directBuffer(Packets.packetSize(remaining));
        buf.writeByte(PUBLISH | (retain ? 1 : 0));
        for (int value = remaining; ; ) {
            int digit = value & 0x7F;
            value >>>= 7;
            if (value == 0) {
                buf.writeByte(digit);
                break;
            }
            buf.writeByte(digit | 0x80);
        }
        int topicLength = remaining - 2 - message.payload().length;
        buf.writeShort(topicLength);
        ByteBufUtil.reserveAndWriteUtf8(buf, message.topic(), topicLength);
        buf.writeBytes(message.payload());
        return buf;
    }

    private void forget() {
        if (packet != null) {
            packet.release();
            packet = null;
        }
        lastMessage = null;
    }
}
