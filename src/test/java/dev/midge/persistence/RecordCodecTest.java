package dev.midge.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * A message record keeps the serial of its publication in a cluster, so that a session brought from the
 * cluster's copy knows what it holds; a broker alone writes its records as before, and those still read.
 */
class RecordCodecTest {

    @Test
    void aClusterMessageKeepsItsSerialAcrossTheCopy() {
        Message published = new Message("a/b", new byte[] {7}, 1, false).withSerial(-5L);
        RecordCodec.Outbound read = RecordCodec.outbound(RecordCodec.outbound("c1", Delivery.of(1, false),
                RecordCodec.message(published)));
        assertEquals(-5L, read.message().serial());
        assertEquals("a/b", read.message().topic());
        assertEquals(0, RecordCodec.outboundExpiresAt(RecordCodec.outbound("c1", Delivery.of(1, false),
                RecordCodec.message(published))));
    }

    @Test
    void aBrokerAloneWritesTheFormatAnEarlierMidgeWroteAndReads() {
        // Version 1, never expires, topic "t", QoS 1, not retained, no origin, payload {1}, no properties.
        byte[] earlier = HexFormat.of().parseHex("01000000000000000000000001740100ffffffff000000010100");
        Message read = RecordCodec.message(earlier);
        assertEquals("t", read.topic());
        assertEquals(0, read.serial());
        assertEquals(HexFormat.of().formatHex(earlier), HexFormat.of().formatHex(RecordCodec.message(read)));
    }
}
