package dev.midge.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.config.LimitsConfig;
import dev.midge.config.MemoryMarks;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A reload gives new settings to what is made from them: rules, quota, flapping, memory marks, generation. */
class LimitsReloadTest {

    private long now = 0;

    private static LimitsConfig config(Map<String, String> settings) {
        return LimitsSettings.config(settings).limits();
    }

    @Test
    void newClientsGetTheNewPublishLimitsAndRetainedQuota() {
        Limits limits = new Limits(config(Map.of()), () -> now);
        assertNull(limits.rules().forClient("device-1", null));
        int before = limits.generation();

        limits.reload(config(Map.of("midge.limits.publish-rate", "10",
                "midge.limits.rules[0].client-id-prefix", "device-", "midge.limits.rules[0].publish-rate", "2",
                "midge.limits.rules[0].on-excess", "reject", "midge.limits.max-retained-per-client", "5")));
        PublishLimit device = limits.rules().forClient("device-1", null);
        assertEquals(2, device.rate());
        assertEquals(LimitsConfig.OnExcess.REJECT, device.onExcess());
        assertEquals(10, limits.rules().forClient("other", null).rate());
        assertEquals(5, limits.maxRetainedPerClient());
        assertEquals(before + 1, limits.generation());
    }

    @Test
    void theFlappingTrackerKeepsItsBansAcrossAReloadUnlessTurnedOff() {
        Limits limits = new Limits(config(Map.of("midge.limits.flapping.enabled", "true",
                "midge.limits.flapping.max-count", "1")), () -> now);
        FlappingTracker tracker = limits.flapping();
        assertTrue(tracker.connected("c"));
        assertFalse(tracker.connected("c"), "banned");

        limits.reload(config(Map.of("midge.limits.flapping.enabled", "true",
                "midge.limits.flapping.max-count", "3")));
        assertSame(tracker, limits.flapping());
        assertTrue(tracker.isBanned("c"), "the ban stays");
        assertTrue(tracker.connected("d"));
        assertTrue(tracker.connected("d"), "two connections are within the new count");

        limits.reload(config(Map.of()));
        assertNull(limits.flapping(), "turned off");
        limits.reload(config(Map.of("midge.limits.flapping.enabled", "true")));
        assertNotNull(limits.flapping());
        assertFalse(limits.flapping().isBanned("c"), "a new tracker");
    }

    @Test
    void theMemoryMarksChangeAtOnce() {
        Limits limits = new Limits(config(Map.of("midge.limits.memory-high", "1K")), () -> now);
        limits.memory().held(900);
        assertFalse(limits.memory().isHigh());
        limits.reload(config(Map.of("midge.limits.memory-high", "800", "midge.limits.memory-low", "100")));
        assertEquals(new MemoryMarks(800, 100), limits.memory().marks());
        assertTrue(limits.memory().isHigh());
        limits.reload(config(Map.of("midge.limits.memory-high", "0")));
        assertFalse(limits.memory().isHigh(), "off");
    }
}
