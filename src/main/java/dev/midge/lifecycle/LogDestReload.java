package dev.midge.lifecycle;

import dev.midge.logging.LogDestinations;
import java.io.File;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * {@code log_dest} on SIGHUP: the {@code quarkus.log} keys its lines map to, applied together as one set of
 * destinations, since one key alone (a file's path without whether there is a file) says too little.
 */
final class LogDestReload {

    private static final String FILE_ENABLED = "quarkus.log.file.enabled";
    private static final String FILE_PATH = "quarkus.log.file.path";
    private static final String CONSOLE_ENABLED = "quarkus.log.console.enabled";
    private static final String CONSOLE_STDERR = "quarkus.log.console.stderr";
    private static final Set<String> KEYS = Set.of(FILE_ENABLED, FILE_PATH, CONSOLE_ENABLED, CONSOLE_STDERR);

    private LogDestReload() {
    }

    static boolean isDestination(String key) {
        return KEYS.contains(key);
    }

    /**
     * @param after each key's value as the reload leaves it, null for none
     * @throws IllegalArgumentException when the new log file cannot be opened; the destinations stay then
     */
    static void apply(UnaryOperator<String> after) {
        String path = after.apply(FILE_PATH);
        boolean file = Boolean.parseBoolean(after.apply(FILE_ENABLED)) && path != null;
        LogDestinations.switchTo(new LogDestinations.Wanted(file ? new File(path) : null,
                after.apply("quarkus.log.file.format"), !"false".equals(after.apply(CONSOLE_ENABLED)),
                Boolean.parseBoolean(after.apply(CONSOLE_STDERR)), after.apply("quarkus.log.console.format")));
    }
}
