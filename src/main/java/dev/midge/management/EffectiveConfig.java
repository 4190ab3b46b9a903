package dev.midge.management;

import io.smallrye.config.ConfigValue;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The {@code midge.*} configuration as the broker runs with it: every key of the mapping (set or not) and every
 * other {@code midge.*} key some source sets, each with its effective value and source. Secrets are redacted.
 */
@ApplicationScoped
public class EffectiveConfig {

    static final String PREFIX = "midge.";
    static final String REDACTED = "**redacted**";
    /** Mapping defaults can be served by SmallRye's own source; to an operator that is just "default". */
    private static final String DEFAULTS_SOURCE = "DefaultValuesConfigSource";

    /** Every property, sorted by name. */
    public List<ConfigEntry> all() {
        Config config = ConfigProvider.getConfig();
        TreeSet<String> names = new TreeSet<>(ConfigKeys.defaults().keySet());
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                names.add(name);
            }
        }
        List<ConfigEntry> entries = new ArrayList<>(names.size());
        for (String name : names) {
            entries.add(entry(config, name));
        }
        return entries;
    }

    /** One property, if the mapping knows it or a source sets it. */
    public Optional<ConfigEntry> find(String name) {
        if (!name.startsWith(PREFIX)) {
            return Optional.empty();
        }
        Config config = ConfigProvider.getConfig();
        ConfigEntry entry = entry(config, name);
        boolean known = ConfigKeys.defaults().containsKey(name) || entry.source() != null;
        return known ? Optional.of(entry) : Optional.empty();
    }

    static ConfigEntry entry(Config config, String name) {
        Map<String, String> defaults = ConfigKeys.defaults();
        String defaultValue = defaults.get(name);
        ConfigValue configValue = (ConfigValue) config.getConfigValue(name);
        String value = configValue.getValue();
        String source = configValue.getSourceName();
        if (value == null) {
            value = defaultValue;
            source = defaultValue == null ? null : "default";
        } else if (source == null || source.startsWith(DEFAULTS_SOURCE)) {
            source = "default";
        }
        if (isSecret(name)) {
            boolean set = value != null;
            return new ConfigEntry(name, set ? REDACTED : null, source, null, set);
        }
        return new ConfigEntry(name, value, source, defaultValue, false);
    }

    /**
     * Passwords, secrets, tokens, credentials (a Kafka JAAS line holds one) and inline keys. A {@code *-file}
     * setting (the password file, a key file) is a path and is shown: the file's contents never are.
     */
    static boolean isSecret(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        String last = key.substring(key.lastIndexOf('.') + 1);
        if (last.endsWith("-file")) {
            return false;
        }
        return key.contains("password") || key.contains("secret") || key.contains("token")
                || key.contains("credential") || key.contains("jaas") || last.equals("key")
                || last.endsWith("-key");
    }
}
