package dev.midge.logging;

import java.io.File;
import java.io.FileNotFoundException;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.jboss.logmanager.handlers.FileHandler;

/**
 * Switches where the log lines go while the broker runs, as SIGHUP does for a mosquitto.conf's {@code log_dest}
 * lines: a handler that stays keeps its format and filter, a new one gets the given format and the filter
 * Quarkus gave the others, beside them.
 */
public final class LogDestinations {

    /**
     * Where the lines should go.
     *
     * @param file the log file, or null for none
     * @param console whether the console gets them, on stderr when {@code stderr}
     */
    public record Wanted(File file, String fileFormat, boolean console, boolean stderr, String consoleFormat) {
    }

    private LogDestinations() {
    }

    /**
     * Makes the log go where wanted; what already goes there stays as it is.
     *
     * @throws IllegalArgumentException when the file cannot be opened: nothing is changed then
     */
    public static synchronized void switchTo(Wanted wanted) {
        List<Handler> handlers = LogLines.handlers();
        FileHandler file = first(handlers, FileHandler.class);
        ConsoleHandler console = first(handlers, ConsoleHandler.class);
        if (wanted.file() != null && (file == null || !wanted.file().equals(file.getFile()))) {
            FileHandler opened = file;
            if (opened == null) {
                opened = new FileHandler();
                opened.setAppend(true);
            }
            try {
                LogFiles.open(opened, wanted.file());
            } catch (FileNotFoundException e) {
                throw new IllegalArgumentException("cannot be opened: " + e.getMessage(), e);
            }
            if (file == null) {
                add(handlers, opened, wanted.fileFormat());
            }
        } else if (wanted.file() == null && file != null) {
            remove(handlers, file);
            file.close();
        }
        ConsoleHandler.Target target = wanted.stderr() ? ConsoleHandler.Target.SYSTEM_ERR
                : ConsoleHandler.Target.SYSTEM_OUT;
        if (wanted.console() && console == null) {
            add(handlers, new ConsoleHandler(target), wanted.consoleFormat());
        } else if (wanted.console()) {
            console.setTarget(target);
        } else if (console != null) {
            // Not closed: that would close the process' standard output.
            console.flush();
            remove(handlers, console);
        }
    }

    private static <T extends Handler> T first(List<Handler> handlers, Class<T> kind) {
        for (Handler handler : handlers) {
            if (kind.isInstance(handler)) {
                return kind.cast(handler);
            }
        }
        return null;
    }

    /** Beside the handlers Quarkus set up, with the filter they have (which drops some libraries' noise). */
    private static void add(List<Handler> handlers, ExtHandler handler, String format) {
        handler.setFormatter(new PatternFormatter(format == null ? "%s%e%n" : format));
        for (Handler other : handlers) {
            if (other.getFilter() != null) {
                handler.setFilter(other.getFilter());
                break;
            }
        }
        for (Handler holder : root().getHandlers()) {
            if (holder instanceof ExtHandler ext) {
                ext.addHandler(handler);
                return;
            }
        }
        root().addHandler(handler);
    }

    private static void remove(List<Handler> handlers, Handler handler) {
        root().removeHandler(handler);
        for (Handler other : handlers) {
            if (other instanceof ExtHandler ext) {
                ext.removeHandler(handler);
            }
        }
    }

    private static Logger root() {
        return LogManager.getLogManager().getLogger("");
    }
}
