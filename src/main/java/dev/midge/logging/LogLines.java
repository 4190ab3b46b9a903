package dev.midge.logging;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.jboss.logmanager.handlers.FileHandler;

/** Changes which lines are logged and how they look while the broker runs, as SIGHUP does for a mosquitto.conf. */
public final class LogLines {

    private LogLines() {
    }

    /** Sets a category's level: DEBUG, INFO, WARN, ERROR or OFF; null lets it take its parent's again. */
    public static void level(String category, String level) {
        Logger.getLogger(category).setLevel(level == null ? null : switch (level) {
            case "DEBUG" -> org.jboss.logmanager.Level.DEBUG;
            case "INFO" -> org.jboss.logmanager.Level.INFO;
            case "WARN" -> org.jboss.logmanager.Level.WARN;
            case "ERROR" -> org.jboss.logmanager.Level.ERROR;
            case "OFF" -> Level.OFF;
            default -> throw new IllegalArgumentException("unknown log level " + level);
        });
    }

    /**
     * Sets the pattern of the lines the log files get ({@code file} true) or the console gets.
     *
     * @return how many handlers took it
     */
    public static int format(boolean file, String pattern) {
        int changed = 0;
        for (Handler handler : handlers()) {
            boolean kind = file ? handler instanceof FileHandler : handler instanceof ConsoleHandler;
            if (kind && handler.getFormatter() instanceof PatternFormatter formatter) {
                formatter.setPattern(pattern);
                changed++;
            }
        }
        return changed;
    }

    /** The root logger's handlers and those nested in them, as Quarkus wraps its own. */
    static List<Handler> handlers() {
        List<Handler> all = new ArrayList<>();
        for (Handler handler : LogManager.getLogManager().getLogger("").getHandlers()) {
            collect(handler, all);
        }
        return all;
    }

    private static void collect(Handler handler, List<Handler> into) {
        into.add(handler);
        if (handler instanceof ExtHandler ext) {
            for (Handler nested : ext.getHandlers()) {
                collect(nested, into);
            }
        }
    }
}
