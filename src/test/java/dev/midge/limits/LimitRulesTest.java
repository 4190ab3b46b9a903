package dev.midge.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.config.LimitsConfig.OnExcess;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which publish limit a client gets: the first matching rule, its gaps filled from the broker-wide settings. */
class LimitRulesTest {

    private static LimitRules rules(Map<String, String> settings) {
        return new LimitRules(LimitsSettings.config(settings).limits());
    }

    @Test
    void nothingIsLimitedByDefault() {
        LimitRules rules = rules(Map.of());
        assertNull(rules.forClient("c", "u"));
        assertFalse(rules.limitsAnyone());
    }

    @Test
    void theBrokerWideLimitAppliesToEveryClientWithADefaultBurstOfOneSecond() {
        LimitRules rules = rules(Map.of("midge.limits.publish-rate", "50"));
        assertEquals(new PublishLimit(50, 50, 0, 1, OnExcess.THROTTLE), rules.forClient("any", null));
        assertEquals(new PublishLimit(0.5, 1, 0, 1, OnExcess.THROTTLE),
                rules(Map.of("midge.limits.publish-rate", "0.5")).forClient("any", null), "a burst of at least 1");
    }

    @Test
    void theFirstMatchingRuleWinsAndInheritsWhatItLeavesUnset() {
        LimitRules rules = rules(Map.ofEntries(
                Map.entry("midge.limits.publish-rate", "10"),
                Map.entry("midge.limits.publish-burst", "20"),
                Map.entry("midge.limits.publish-bytes-rate", "1000"),
                Map.entry("midge.limits.on-excess", "reject"),
                Map.entry("midge.limits.rules[0].username", "sensor"),
                Map.entry("midge.limits.rules[0].client-id-prefix", "plant1-"),
                Map.entry("midge.limits.rules[0].publish-rate", "100"),
                Map.entry("midge.limits.rules[1].client-id-prefix", "plant1-"),
                Map.entry("midge.limits.rules[1].on-excess", "disconnect"),
                Map.entry("midge.limits.rules[2].username", "backend"),
                Map.entry("midge.limits.rules[2].publish-rate", "0")));
        assertEquals(new PublishLimit(100, 100, 1000, 1000, OnExcess.REJECT), rules.forClient("plant1-a", "sensor"),
                "both conditions match; its own rate brings its own burst");
        assertEquals(new PublishLimit(10, 20, 1000, 1000, OnExcess.DISCONNECT),
                rules.forClient("plant1-b", "other"), "the second rule: only the prefix matches");
        assertEquals(new PublishLimit(10, 20, 1000, 1000, OnExcess.REJECT), rules.forClient("plant2-a", "sensor"));
        assertEquals(new PublishLimit(0, 1, 1000, 1000, OnExcess.REJECT), rules.forClient("x", "backend"),
                "rate 0: no message rate, the byte rate stays");
        assertTrue(rules.limitsAnyone());
    }

    @Test
    void aRuleCanExemptClientsFromEveryLimit() {
        LimitRules rules = rules(Map.of(
                "midge.limits.publish-rate", "10",
                "midge.limits.rules[0].client-id-prefix", "bridge-",
                "midge.limits.rules[0].publish-rate", "0"));
        assertNull(rules.forClient("bridge-eu", null));
        assertEquals(10, rules.forClient("device", null).rate());
    }
}
