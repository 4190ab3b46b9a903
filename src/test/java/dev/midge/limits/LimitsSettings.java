package dev.midge.limits;

import dev.midge.config.MidgeConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** A broker configuration with these settings over the defaults, read as the running broker reads it. */
public final class LimitsSettings {

    private LimitsSettings() {
    }

    public static MidgeConfig config(Map<String, String> settings) {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(MidgeConfig.class)
                .withSources(new PropertiesConfigSource(settings, "test.properties", 250))
                .build()
                .getConfigMapping(MidgeConfig.class);
    }
}
