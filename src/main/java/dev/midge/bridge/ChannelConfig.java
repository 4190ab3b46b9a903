package dev.midge.bridge;

import io.smallrye.config.ConfigValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * The configuration a Reactive Messaging connector reads for one channel, as it would read
 * {@code mp.messaging.<direction>.<channel>.*}: the channel's name, the connector's name and the integration's
 * attributes. Values are converted with the application's converters.
 */
final class ChannelConfig implements Config {

    private final Map<String, String> values;
    private final Config converters;

    ChannelConfig(String channel, String connector, Map<String, String> attributes, Config converters) {
        Map<String, String> all = new LinkedHashMap<>(attributes);
        all.put("channel-name", channel);
        all.put("connector", connector);
        this.values = Map.copyOf(all);
        this.converters = converters;
    }

    String channel() {
        return values.get("channel-name");
    }

    @Override
    public <T> T getValue(String name, Class<T> type) {
        return getOptionalValue(name, type).orElseThrow(
                () -> new NoSuchElementException("channel " + channel() + " has no attribute " + name));
    }

    @Override
    public <T> Optional<T> getOptionalValue(String name, Class<T> type) {
        String raw = values.get(name);
        if (raw == null) {
            return Optional.empty();
        }
        if (type == String.class) {
            return Optional.of(type.cast(raw));
        }
        Converter<T> converter = getConverter(type).orElseThrow(
                () -> new IllegalArgumentException("no converter to " + type.getName() + " for " + name));
        return Optional.ofNullable(converter.convert(raw));
    }

    @Override
    public org.eclipse.microprofile.config.ConfigValue getConfigValue(String name) {
        return ConfigValue.builder().withName(name).withValue(values.get(name)).build();
    }

    @Override
    public Iterable<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public Iterable<ConfigSource> getConfigSources() {
        return List.of();
    }

    @Override
    public <T> Optional<Converter<T>> getConverter(Class<T> type) {
        return converters.getConverter(type);
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new IllegalArgumentException("cannot unwrap a channel's configuration to " + type.getName());
    }
}
