package dev.midge.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Mosquitto's topic lines and the prefix mapping. */
class BridgeTopicTest {

    @Test
    void defaultsAreOutAndQos0WithoutPrefixes() {
        BridgeTopic t = BridgeTopic.parse("sensors/#");
        assertEquals(BridgeTopic.Direction.OUT, t.direction());
        assertEquals(0, t.qos());
        assertEquals("sensors/t", t.toRemote("sensors/t"));
        assertNull(t.toLocal("sensors/t"), "out only");
    }

    @Test
    void prefixesAreSwappedBothWays() {
        BridgeTopic t = BridgeTopic.parse("  temp/+   both 2 home/ site1/home/ ");
        assertEquals(2, t.qos());
        assertEquals("home/temp/+", t.localFilter());
        assertEquals("site1/home/temp/+", t.remoteFilter());
        assertEquals("site1/home/temp/kitchen", t.toRemote("home/temp/kitchen"));
        assertEquals("home/temp/kitchen", t.toLocal("site1/home/temp/kitchen"));
        assertNull(t.toRemote("temp/kitchen"), "outside the local prefix");
    }

    @Test
    void anEmptyPrefixIsWrittenAsTwoQuotes() {
        BridgeTopic t = BridgeTopic.parse("cmd/# in 1 \"\" site1/");
        assertEquals("cmd/x", t.toLocal("site1/cmd/x"));
        assertNull(t.toRemote("cmd/x"), "in only");
    }

    @Test
    void aHashPatternDoesNotCutIntoItsPrefix() {
        BridgeTopic t = BridgeTopic.parse("# out 0 local/ remote/");
        assertNull(t.toRemote("local"), "'#' matches the parent level, which has no room for the prefix");
        assertEquals("remote/a", t.toRemote("local/a"));
    }

    @Test
    void wrongLinesSayWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BridgeTopic.parse("a/# sideways"))
                .getMessage().contains("out, in or both"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BridgeTopic.parse("a/# out 3"))
                .getMessage().contains("qos must be 0, 1 or 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BridgeTopic.parse("a/# out 1 only-one"))
                .getMessage().contains("expected pattern"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BridgeTopic.parse("a/#/b"))
                .getMessage().contains("not a valid topic filter"));
    }
}
