package dev.midge.logging;

import java.io.File;
import java.io.FileNotFoundException;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.handlers.FileHandler;
import org.jboss.logging.Logger;

/**
 * Reopens the log files, as on SIGHUP: after logrotate has moved a file away, new lines go to a new file of
 * the configured name instead of the moved one.
 */
public final class LogFiles {

    private static final Logger LOG = Logger.getLogger(LogFiles.class);

    private LogFiles() {
    }

    /** @return how many log files were reopened */
    public static int reopen() {
        int reopened = 0;
        for (Handler handler : LogManager.getLogManager().getLogger("").getHandlers()) {
            reopened += reopen(handler);
        }
        return reopened;
    }

    private static int reopen(Handler handler) {
        int reopened = 0;
        if (handler instanceof FileHandler file && file.getFile() != null) {
            File path = file.getFile();
            try {
                file.setFile(path);
                reopened++;
            } catch (FileNotFoundException e) {
                LOG.errorf("Cannot reopen the log file %s: %s", path, e.getMessage());
            }
        }
        if (handler instanceof ExtHandler ext) {
            for (Handler nested : ext.getHandlers()) {
                reopened += reopen(nested);
            }
        }
        return reopened;
    }
}
