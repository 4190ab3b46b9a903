package dev.midge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Size settings: bytes, or K, M, G as powers of 1024. */
class ByteSizeTest {

    @Test
    void bytesOrPowersOf1024() {
        assertEquals(0, ByteSize.parse("0"));
        assertEquals(512, ByteSize.parse("512"));
        assertEquals(512, ByteSize.parse("512B"));
        assertEquals(64 * 1024, ByteSize.parse("64k"));
        assertEquals(256L << 20, ByteSize.parse("256M"));
        assertEquals(256L << 20, ByteSize.parse(" 256MB "));
        assertEquals(2L << 30, ByteSize.parse("2G"));
    }

    @Test
    void anythingElseIsNotASize() {
        for (String bad : new String[] {"", "M", "-1", "1.5G", "12T", "ten", "1 M"}) {
            assertEquals(-1, ByteSize.parse(bad), bad);
        }
    }
}
