package dev.midge.config.mosquitto;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Adds a {@code mosquitto.conf} to the configuration when {@code midge.mosquitto-conf} names one (the
 * {@code -c} option sets it, as {@code mosquitto -c} does). A file Mosquitto would refuse stops start-up.
 */
public final class MosquittoConfSourceFactory implements ConfigSourceFactory {

    public static final String KEY = "midge.mosquitto-conf";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue value = context.getValue(KEY);
        if (value == null || value.getValue() == null || value.getValue().isBlank()) {
            return List.of();
        }
        Path file = Path.of(value.getValue());
        boolean root = "root".equals(System.getProperty("user.name"));
        MappedConf mapped = MosquittoConfMapping.map(MosquittoConfReader.read(file), root);
        return List.of(new MosquittoConfSource(file, mapped));
    }
}
