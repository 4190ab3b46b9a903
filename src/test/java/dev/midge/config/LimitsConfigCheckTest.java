package dev.midge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad midge.limits values stop start-up, each named with its key; the defaults and good values pass. */
class LimitsConfigCheckTest {

    /** The problems the whole validation finds, or "" when there are none. */
    private static String problems(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(MidgeConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(values, "limits.properties", 250)).build();
        try {
            new ConfigValidator(config).validate(config.getConfigMapping(MidgeConfig.class));
            return "";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    void offByDefaultAndGoodValuesPass() {
        assertEquals("", problems(Map.of()));
        assertEquals("", problems(Map.of("midge.limits.publish-rate", "0.5", "midge.limits.publish-burst", "3",
                "midge.limits.rules[0].username", "backend", "midge.limits.rules[0].publish-rate", "0",
                "midge.limits.connection-rate", "100", "midge.limits.flapping.enabled", "true",
                "midge.limits.max-retained-per-client", "10")));
    }

    @Test
    void eachBadValueIsNamedWithItsKeyAndSource() {
        String message = problems(Map.of("midge.limits.publish-rate", "-1",
                "midge.limits.publish-bytes-burst", "0",
                "midge.limits.connection-burst", "0.5",
                "midge.limits.max-retained-per-client", "0",
                "midge.limits.flapping.max-count", "0",
                "midge.limits.flapping.window", "0s",
                "midge.limits.rules[1].client-id-prefix", "x",
                "midge.limits.rules[1].publish-burst", "NaN",
                "midge.limits.rules[0].publish-rate", "5"));
        for (String key : new String[] {"midge.limits.publish-rate=-1 (from ",
                "midge.limits.publish-bytes-burst=0", "midge.limits.connection-burst=0.5",
                "midge.limits.max-retained-per-client=0", "midge.limits.flapping.max-count=0",
                "midge.limits.flapping.window=0s", "midge.limits.rules[1].publish-burst=NaN",
                "midge.limits.rules[0] needs username or client-id-prefix"}) {
            assertTrue(message.contains(key), key + " in: " + message);
        }
    }

    @Test
    void memoryMarksAreSizesWithLowUnderHigh() {
        assertEquals("", problems(Map.of("midge.limits.memory-high", "256M", "midge.limits.memory-low", "200m")));
        assertEquals("", problems(Map.of("midge.limits.memory-high", "0")), "0 turns the watermark off");
        String message = problems(Map.of("midge.limits.memory-high", "256M", "midge.limits.memory-low", "256M"));
        assertTrue(message.matches("(?s).*midge.limits.memory-low=256M \\(from [^)]*limits.properties[^)]*\\) must be "
                + "less than midge.limits.memory-high=256M \\(from .*"), message);
        message = problems(Map.of("midge.limits.memory-low", "4096G"));
        assertTrue(message.contains("midge.limits.memory-low=4096G (from "), message);
        assertTrue(message.contains("must be less than midge.limits.memory-high (default, "), message);
        message = problems(Map.of("midge.limits.memory-high", "lots"));
        assertTrue(message.contains("midge.limits.memory-high=lots (from "), message);
        assertTrue(message.contains("must be a size in bytes"), message);
    }

    @Test
    void anUnknownOnExcessModeStopsStartUp() {
        assertTrue(problemsOrFailure(Map.of("midge.limits.on-excess", "drop")).contains("midge.limits.on-excess"));
    }

    private static String problemsOrFailure(Map<String, String> values) {
        try {
            return problems(values);
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }
}
