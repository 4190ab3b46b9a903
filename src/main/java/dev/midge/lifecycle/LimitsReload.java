package dev.midge.lifecycle;

import dev.midge.config.LimitsFile;
import dev.midge.limits.Limits;
import io.smallrye.config.SmallRyeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Reads {@code midge.limits.file} again and hands the limits it gives to {@link Limits}; limits that fail the
 * start-up checks are refused, whole, and those in force stay. Nothing happens without the file: the other
 * configuration sources do not change while the broker runs.
 */
@ApplicationScoped
public class LimitsReload {

    private static final Logger LOG = Logger.getLogger(LimitsReload.class);

    private final Limits limits;

    public LimitsReload(Limits limits) {
        this.limits = limits;
    }

    /** False when there is no file, or when what it says was refused. */
    public boolean reload() {
        SmallRyeConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class);
        Optional<String> file = config.getOptionalValue(LimitsFile.KEY, String.class).filter(f -> !f.isBlank());
        if (file.isEmpty()) {
            return false;
        }
        try {
            limits.reload(LimitsFile.reread(config, Path.of(file.get())));
        } catch (RuntimeException refused) {
            LOG.errorf("midge.limits not reloaded from %s, the limits in force stay: %s", file.get(),
                    refused.getMessage());
            return false;
        }
        LOG.infof("midge.limits reloaded from %s", file.get());
        return true;
    }
}
