package dev.midge.lifecycle;

import dev.midge.logging.LogFiles;
import dev.midge.security.FileWatcher;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * What SIGHUP does, as for Mosquitto: the password, ACL and certificate files are checked at once instead of
 * at the next {@code midge.reload-interval}, the log files are reopened (for logrotate), a mosquitto.conf run
 * with {@code -c} is read again ({@link MosquittoConfReload}), and so are the limits of {@code midge.limits.file}
 * ({@link LimitsReload}). Other settings take a restart.
 */
@ApplicationScoped
@Unremovable // looked up by the SIGHUP handler only
public class HangupReload {

    private static final Logger LOG = Logger.getLogger(HangupReload.class);

    private final FileWatcher watcher;
    private final MosquittoConfReload mosquittoConf;
    private final LimitsReload limits;

    public HangupReload(FileWatcher watcher, MosquittoConfReload mosquittoConf, LimitsReload limits) {
        this.watcher = watcher;
        this.mosquittoConf = mosquittoConf;
        this.limits = limits;
    }

    public void reload() {
        int logFiles = LogFiles.reopen();
        watcher.checkNow();
        LOG.infof("SIGHUP: reopened %d log file(s), checking password, ACL and certificate files", logFiles);
        mosquittoConf.reload();
        limits.reload();
    }
}
