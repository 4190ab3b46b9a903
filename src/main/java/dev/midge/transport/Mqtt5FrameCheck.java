package dev.midge.transport;

import dev.midge.protocol.ProtocolErrorException;
import dev.midge.protocol.QuotaExceededException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * Checks an MQTT 5 packet's bytes for what Netty's decoder accepts silently or reports as merely malformed:
 * reserved subscription option bits (malformed), and a property given twice where the spec allows it once or
 * a subscription's Maximum QoS or Retain Handling of 3 (protocol errors). Also counts user properties before
 * the decoder turns each into objects: a packet full of tiny ones costs far more to decode, hold and forward
 * than its size suggests.
 */
final class Mqtt5FrameCheck {

    private static final int USER_PROPERTY = 0x26;
    private static final int SUBSCRIPTION_IDENTIFIER = 0x0B;

    private final ByteBuf frame;
    private final int maxUserProperties;
    private int at;
    private final int end;

    private Mqtt5FrameCheck(ByteBuf frame, int maxUserProperties) {
        this.frame = frame;
        this.maxUserProperties = maxUserProperties;
        this.at = frame.readerIndex();
        this.end = frame.writerIndex();
    }

    /**
     * Throws CorruptedFrameException (malformed), ProtocolErrorException, or QuotaExceededException for more
     * than {@code maxUserProperties} user properties; the frame is not consumed.
     */
    static void check(ByteBuf frame, int maxUserProperties) {
        new Mqtt5FrameCheck(frame, maxUserProperties).run();
    }

    private void run() {
        int header = u8();
        int remaining = varint();
        int type = header >> 4;
        switch (type) {
            case 3 -> {
                skip(u16());
                if (((header >> 1) & 3) > 0) {
                    skip(2);
                }
                properties();
            }
            case 4, 5, 6, 7 -> {
                skip(2);
                if (remaining > 2) {
                    skip(1);
                }
                if (remaining > 3) {
                    properties();
                }
            }
            case 8 -> {
                skip(2);
                properties();
                while (at < end) {
                    skip(u16());
                    int options = u8();
                    if ((options & 0xC0) != 0) {
                        throw new CorruptedFrameException("reserved subscription option bits set");
                    }
                    if ((options & 3) == 3 || ((options >> 4) & 3) == 3) {
                        throw new ProtocolErrorException("Maximum QoS 3 or Retain Handling 3 in a subscription");
                    }
                }
            }
            case 10 -> {
                skip(2);
                properties();
            }
            case 14, 15 -> {
                if (remaining >= 1) {
                    skip(1);
                }
                if (remaining >= 2) {
                    properties();
                }
            }
            default -> {
                // CONNECT is checked by the decoder before the version is known; the rest have no properties.
            }
        }
    }

    private void properties() {
        int length = varint();
        int stop = at + length;
        if (stop > end) {
            throw new CorruptedFrameException("properties longer than the packet");
        }
        boolean[] seen = new boolean[128];
        int userProperties = 0;
        while (at < stop) {
            int id = varint();
            if (id >= seen.length) {
                throw new CorruptedFrameException("unknown property " + id);
            }
            if (seen[id] && id != USER_PROPERTY && id != SUBSCRIPTION_IDENTIFIER) {
                throw new ProtocolErrorException("property " + id + " given twice");
            }
            seen[id] = true;
            switch (id) {
                case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A -> skip(1);
                case 0x13, 0x21, 0x22, 0x23 -> skip(2);
                case 0x02, 0x11, 0x18, 0x27 -> skip(4);
                case SUBSCRIPTION_IDENTIFIER -> varint();
                case 0x03, 0x08, 0x09, 0x12, 0x15, 0x16, 0x1A, 0x1C, 0x1F -> skip(u16());
                case USER_PROPERTY -> {
                    if (++userProperties > maxUserProperties) {
                        throw new QuotaExceededException("more than midge.max-user-properties=" + maxUserProperties
                                + " user properties");
                    }
                    skip(u16());
                    skip(u16());
                }
                default -> throw new CorruptedFrameException("unknown property " + id);
            }
        }
    }

    private int u8() {
        need(1);
        return frame.getUnsignedByte(at++);
    }

    private int u16() {
        need(2);
        int v = frame.getUnsignedShort(at);
        at += 2;
        return v;
    }

    private int varint() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = u8();
            value |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0) {
                return value;
            }
        }
        throw new CorruptedFrameException("variable byte integer longer than 4 bytes");
    }

    private void skip(int n) {
        need(n);
        at += n;
    }

    private void need(int n) {
        if (at + n > end) {
            throw new CorruptedFrameException("packet shorter than its fields");
        }
    }
}
