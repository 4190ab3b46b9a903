package dev.midge.logging;

import java.io.File;
import java.io.FileNotFoundException;
import java.util.logging.Handler;
import org.jboss.logmanager.handlers.FileHandler;
import org.jboss.logmanager.handlers.PeriodicSizeRotatingFileHandler;
import org.jboss.logmanager.handlers.SizeRotatingFileHandler;
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
        for (Handler handler : LogLines.handlers()) {
            if (handler instanceof FileHandler file && file.getFile() != null) {
                try {
                    open(file, file.getFile());
                    reopened++;
                } catch (FileNotFoundException e) {
                    LOG.errorf("Cannot reopen the log file %s: %s", file.getFile(), e.getMessage());
                }
            }
        }
        return reopened;
    }

    /** Makes the handler write to the end of that file from now on, opened anew. */
    static void open(FileHandler file, File path) throws FileNotFoundException {
        // Quarkus rotates on boot, which would move a file that was not moved away to .1 each time.
        if (file instanceof PeriodicSizeRotatingFileHandler periodic) {
            periodic.setRotateOnBoot(false);
        } else if (file instanceof SizeRotatingFileHandler sized) {
            sized.setRotateOnBoot(false);
        }
        file.setFile(path);
    }
}
