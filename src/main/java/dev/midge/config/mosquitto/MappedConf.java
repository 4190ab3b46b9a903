package dev.midge.config.mosquitto;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code mosquitto.conf} means for Midge: settings (Midge and Quarkus keys, each with the line it came
 * from) and the options Midge cannot honour, each with its line and why.
 */
public record MappedConf(Map<String, Setting> settings, List<String> notHonoured) {

    /** One setting and the {@code file:line} it came from. */
    public record Setting(String value, String where) {
    }

    public MappedConf {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        notHonoured = List.copyOf(notHonoured);
    }

    public String value(String key) {
        Setting setting = settings.get(key);
        return setting == null ? null : setting.value();
    }
}
