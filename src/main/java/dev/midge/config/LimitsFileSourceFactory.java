package dev.midge.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;

/** Adds the file {@code midge.limits.file} names to the configuration ({@link LimitsFile}). */
public final class LimitsFileSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue value = context.getValue(LimitsFile.KEY);
        if (value == null || value.getValue() == null || value.getValue().isBlank()) {
            return List.of();
        }
        return List.of(LimitsFile.source(Path.of(value.getValue())));
    }
}
