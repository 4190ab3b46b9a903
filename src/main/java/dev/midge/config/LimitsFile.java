package dev.midge.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The file {@code midge.limits.file} names: a properties file of {@code midge.limits.*} settings, a
 * configuration source at start-up and read again on SIGHUP, so that limits change without a restart. Its
 * ordinal puts it above {@code application.properties} and a {@code mosquitto.conf}, below environment
 * variables and system properties.
 */
public final class LimitsFile {

    public static final String KEY = "midge.limits.file";
    static final int ORDINAL = 260;
    private static final String PREFIX = "midge.limits.";
    private static final String SOURCE_NAME = "midge.limits.file ";

    private LimitsFile() {
    }

    /** The file as a configuration source; a file that cannot be read, or sets other keys, is refused. */
    static ConfigSource source(Path file) {
        return new Source(read(file), SOURCE_NAME + file);
    }

    private static Map<String, String> read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException(KEY + "=" + file + " cannot be read: " + e.getMessage(), e);
        }
        Map<String, String> settings = new TreeMap<>();
        List<String> others = new ArrayList<>();
        properties.forEach((key, value) -> {
            String name = key.toString();
            if (!name.startsWith(PREFIX) || name.equals(KEY)) {
                others.add(name);
            }
            settings.put(name, value.toString());
        });
        if (!others.isEmpty()) {
            throw new IllegalArgumentException(KEY + "=" + file + " may set midge.limits.* only (not "
                    + KEY + "), but sets " + String.join(", ", others));
        }
        return settings;
    }

    /**
     * The limits {@code current}'s sources give with the file read afresh, checked as at start-up.
     *
     * @throws IllegalArgumentException naming each bad setting with its value and source
     */
    public static LimitsConfig reread(SmallRyeConfig current, Path file) {
        List<ConfigSource> sources = new ArrayList<>();
        for (ConfigSource source : current.getConfigSources()) {
            if (!(source instanceof Source)) {
                sources.add(source);
            }
        }
        sources.add(source(file));
        SmallRyeConfig fresh = new SmallRyeConfigBuilder()
                .withProfiles(current.getProfiles())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(sources)
                .withMapping(LimitsConfig.class, "midge.limits")
                .withValidateUnknown(false)
                .build();
        LimitsConfig limits = fresh.getConfigMapping(LimitsConfig.class, "midge.limits");
        new ConfigValidator(fresh).validate(limits);
        return limits;
    }

    /** Named by the file alone, so that a message about one of its settings reads {@code (from midge.limits.file ...)}. */
    private static final class Source extends MapBackedConfigSource {

        Source(Map<String, String> settings, String name) {
            super(name, settings, ORDINAL);
        }
    }
}
