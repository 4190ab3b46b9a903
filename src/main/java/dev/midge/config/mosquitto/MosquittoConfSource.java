package dev.midge.config.mosquitto;

import io.smallrye.config.ConfigValue;
import io.smallrye.config.ConfigValueConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The settings a {@code mosquitto.conf} gives, as a configuration source. Its ordinal puts it above the
 * application's packaged defaults and below environment variables and system properties, so {@code midge.*}
 * values set there override the file. Each value names the file and line it came from.
 */
public final class MosquittoConfSource implements ConfigValueConfigSource {

    /** Above the packaged application.properties (250), below config/application.properties and env (260+). */
    public static final int ORDINAL = 255;

    private final Path file;
    private final Map<String, ConfigValue> values = new ConcurrentHashMap<>();
    /** The settings now in use, which SIGHUP compares the file with. */
    private final Map<String, MappedConf.Setting> settings = new ConcurrentHashMap<>();
    private final List<String> notHonoured;

    MosquittoConfSource(Path file, MappedConf mapped) {
        this.file = file;
        this.notHonoured = mapped.notHonoured();
        mapped.settings().forEach(this::update);
    }

    /** Puts a setting the file gives now, and applied at run time, in place of the one read at start-up. */
    public void update(String key, MappedConf.Setting setting) {
        if (setting == null) {
            values.remove(key);
            settings.remove(key);
            return;
        }
        settings.put(key, setting);
        values.put(key, ConfigValue.builder().withName(key).withValue(setting.value())
                .withConfigSourceName(setting.where()).withConfigSourceOrdinal(ORDINAL).build());
    }

    Map<String, MappedConf.Setting> settings() {
        return Map.copyOf(settings);
    }

    /** The options Midge cannot honour, each with its file, line and why, for one WARN line each at start-up. */
    public List<String> notHonoured() {
        return notHonoured;
    }

    public Path file() {
        return file;
    }

    @Override
    public ConfigValue getConfigValue(String name) {
        return values.get(name);
    }

    @Override
    public Map<String, ConfigValue> getConfigValueProperties() {
        return values;
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }

    @Override
    public String getName() {
        return "mosquitto.conf " + file;
    }
}
