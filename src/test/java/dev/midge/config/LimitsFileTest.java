package dev.midge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * midge.limits.file: a configuration source at start-up, read again on demand, checked as at start-up, and
 * beneath environment variables and system properties.
 */
class LimitsFileTest {

    @TempDir
    Path dir;

    private SmallRyeConfig start(Path file, Map<String, String> above) {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(MidgeConfig.class)
                .withSources(new PropertiesConfigSource(Map.of(LimitsFile.KEY, file.toString()), "app", 250))
                .withSources(new PropertiesConfigSource(above, "environment", 300))
                .withSources(new LimitsFileSourceFactory())
                .build();
    }

    private Path file(String content) throws IOException {
        return Files.writeString(dir.resolve("limits.properties"), content);
    }

    @Test
    void readAtStartUpAndAgainOnDemand() throws IOException {
        Path file = file("midge.limits.publish-rate=5\nmidge.limits.memory-high=64M\n");
        SmallRyeConfig config = start(file, Map.of());
        assertEquals(5, config.getConfigMapping(MidgeConfig.class).limits().publishRate().getAsDouble());

        file("midge.limits.publish-rate=7\nmidge.limits.rules[0].username=backend\n"
                + "midge.limits.rules[0].publish-rate=0\n");
        LimitsConfig reread = LimitsFile.reread(config, file);
        assertEquals(7, reread.publishRate().getAsDouble());
        assertEquals("backend", reread.rules().orElseThrow().get(0).username().orElseThrow());
        assertTrue(reread.memoryHigh().isEmpty(), "a setting taken out of the file is back to its default");
    }

    @Test
    void environmentVariablesStillWin() throws IOException {
        Path file = file("midge.limits.publish-rate=5\n");
        SmallRyeConfig config = start(file, Map.of("midge.limits.publish-rate", "9"));
        assertEquals(9, LimitsFile.reread(config, file).publishRate().getAsDouble());
    }

    @Test
    void badLimitsAreRefusedNamingTheKeyAndTheFile() throws IOException {
        Path file = file("midge.limits.publish-rate=5\n");
        SmallRyeConfig config = start(file, Map.of());
        file("midge.limits.memory-high=10M\nmidge.limits.memory-low=20M\n");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> LimitsFile.reread(config, file));
        assertTrue(refused.getMessage().contains("midge.limits.memory-low=20M (from midge.limits.file " + file),
                refused.getMessage());

        file("midge.limits.publish-rate=5\nmidge.max-connections=3\n");
        refused = assertThrows(IllegalArgumentException.class, () -> LimitsFile.reread(config, file));
        assertTrue(refused.getMessage().contains("may set midge.limits.* only"), refused.getMessage());
        assertTrue(refused.getMessage().contains("midge.max-connections"), refused.getMessage());

        Files.delete(file);
        refused = assertThrows(IllegalArgumentException.class, () -> LimitsFile.reread(config, file));
        assertTrue(refused.getMessage().contains("cannot be read"), refused.getMessage());
    }

    @Test
    void aFileThatSetsOtherKeysStopsStartUp() throws IOException {
        Path file = file("midge.mqtt.port=1\n");
        RuntimeException refused = assertThrows(RuntimeException.class, () -> start(file, Map.of()));
        assertTrue(String.valueOf(refused.getMessage()).contains("midge.mqtt.port")
                || String.valueOf(refused.getCause()).contains("midge.mqtt.port"), refused.toString());
    }
}
