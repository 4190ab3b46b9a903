package dev.midge.config;

import static dev.midge.config.ConfigValidator.MQTT_MAX_PACKET_SIZE;

import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import java.util.Map;

/**
 * The checks of the settings that a SIGHUP can change as well as start-up, written once for both: start-up
 * ({@link ConfigValidator}) collects the problems, a reload refuses the value.
 */
public final class SettingChecks {

    private record Range(long min, long max) {

        /** Why the value is refused, or null. */
        String refuses(long value) {
            return value < min || value > max ? "must be between " + min + " and " + max : null;
        }
    }

    private static final Map<String, Range> RANGES = Map.of(
            "midge.max-packet-size", new Range(16, MQTT_MAX_PACKET_SIZE),
            "midge.max-inflight-messages", new Range(1, 65_535),
            "midge.max-payload-size", new Range(0, MQTT_MAX_PACKET_SIZE),
            "midge.max-queued-messages", new Range(0, Integer.MAX_VALUE),
            "midge.max-keepalive", new Range(1, 65_535));

    private static final String SYS_INTERVAL = "midge.sys-interval";

    private SettingChecks() {
    }

    /** Why a number is refused where it must lie between min and max, or null. */
    static String outOfRange(long value, long min, long max) {
        return new Range(min, max).refuses(value);
    }

    /** Why the key's number is refused, or null; for the keys a reload can change. */
    static String outOfRange(String key, long value) {
        return RANGES.get(key).refuses(value);
    }

    /**
     * A number for a key a reload can change.
     *
     * @throws IllegalArgumentException saying what the key takes
     */
    public static int number(String key, String value) {
        Range range = RANGES.get(key);
        long number;
        try {
            number = Integer.parseInt(String.valueOf(value));
        } catch (NumberFormatException e) {
            number = Long.MIN_VALUE;
        }
        String problem = range.refuses(number);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return (int) number;
    }

    /** Why the key's duration is refused, or null: {@code midge.sys-interval} is 0 or at least 1s, others positive. */
    static String badDuration(String key, Duration value) {
        if (SYS_INTERVAL.equals(key)) {
            return value.isNegative() || (!value.isZero() && value.compareTo(Duration.ofSeconds(1)) < 0)
                    ? "must be 0 (off) or at least 1s" : null;
        }
        return value.isNegative() || value.isZero() ? "must be a positive duration" : null;
    }

    /**
     * A duration for a key a reload can change, as start-up reads and checks it.
     *
     * @throws IllegalArgumentException saying what the key takes
     */
    public static Duration duration(String key, String value) {
        Duration duration;
        try {
            duration = value == null ? null : DurationConverter.parseDuration(value);
        } catch (RuntimeException e) {
            duration = null;
        }
        String problem = badDuration(key, duration == null ? Duration.ofSeconds(-1) : duration);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return duration;
    }

    /**
     * A {@code midge.persistence.sync} mode, as start-up reads it.
     *
     * @throws IllegalArgumentException naming the modes
     */
    public static PersistenceConfig.Sync sync(String value) {
        for (PersistenceConfig.Sync sync : PersistenceConfig.Sync.values()) {
            if (sync.name().equalsIgnoreCase(String.valueOf(value))) {
                return sync;
            }
        }
        throw new IllegalArgumentException("must be always, interval or never");
    }
}
