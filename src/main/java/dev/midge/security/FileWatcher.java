package dev.midge.security;

import dev.midge.config.MidgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Refreshes every watched file (passwords, ACL, certificates) each {@code midge.reload-interval}. File reads
 * must stay off the event loops, so one small daemon thread does this, started with the first file.
 */
@ApplicationScoped
public class FileWatcher {

    private final long intervalMillis;
    private final List<ReloadingFile<?>> files = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService thread;

    public FileWatcher(MidgeConfig config) {
        this.intervalMillis = config.reloadInterval().toMillis();
    }

    public synchronized void watch(ReloadingFile<?> file) {
        files.add(file);
        if (thread == null) {
            thread = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "midge-file-watcher");
                t.setDaemon(true);
                return t;
            });
            thread.scheduleWithFixedDelay(() -> files.forEach(ReloadingFile::refresh), intervalMillis,
                    intervalMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops watching a file that is no longer in use. */
    public void unwatch(ReloadingFile<?> file) {
        files.remove(file);
    }

    /** Checks every watched file now, on the watcher's thread, as on SIGHUP; does not wait for it. */
    public synchronized void checkNow() {
        if (thread != null && !thread.isShutdown()) {
            thread.execute(() -> files.forEach(ReloadingFile::refresh));
        }
    }

    public synchronized void stop() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
