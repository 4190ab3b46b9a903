package dev.midge.lifecycle;

import dev.midge.config.mosquitto.MappedConf.Setting;
import dev.midge.config.mosquitto.MosquittoConfChanges;
import dev.midge.config.mosquitto.MosquittoConfException;
import dev.midge.config.mosquitto.MosquittoConfSource;
import dev.midge.logging.LogLines;
import dev.midge.security.FileSecurity;
import dev.midge.transport.MqttListener;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

/**
 * SIGHUP for a broker run with {@code -c mosquitto.conf}: reads the file again and applies what can change
 * while running (who may connect anonymously, the log level and line format), and names what takes a restart
 * in one WARN line. A setting given as a system property or environment variable wins over the file, before
 * and after.
 */
@ApplicationScoped
@Unremovable // used by HangupReload only
public class MosquittoConfReload {

    private static final Logger LOG = Logger.getLogger(MosquittoConfReload.class);
    private static final String LEVEL = "quarkus.log.category.\"dev.midge\".level";
    private static final String LISTENER_AUTH = "midge.listener-auth.";
    private static final String ALLOW_ANONYMOUS = ".allow-anonymous";

    private final FileSecurity brokerSecurity;
    private final MqttListener listener;

    public MosquittoConfReload(FileSecurity brokerSecurity, MqttListener listener) {
        this.brokerSecurity = brokerSecurity;
        this.listener = listener;
    }

    public void reload() {
        Config config = ConfigProvider.getConfig();
        MosquittoConfSource source = source(config);
        if (source == null) {
            return;
        }
        Map<String, Setting> changes;
        try {
            changes = MosquittoConfChanges.reread(source);
        } catch (MosquittoConfException | IllegalArgumentException e) {
            LOG.errorf("SIGHUP: %s; the configuration in use stays", e.getMessage());
            return;
        }
        List<String> applied = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        changes.forEach((key, setting) -> {
            if (config.getConfigValue(key).getSourceOrdinal() > MosquittoConfSource.ORDINAL) {
                return;
            }
            String shown = key + (setting == null ? " unset" : "=" + setting.value() + " (" + setting.where() + ")");
            if (apply(key, setting == null ? null : setting.value())) {
                source.update(key, setting);
                applied.add(shown);
            } else {
                restart.add(shown);
            }
        });
        LOG.infof("SIGHUP: re-read %s, applied %s", source.file(), applied.isEmpty() ? "no change" : applied);
        if (!restart.isEmpty()) {
            LOG.warnf("SIGHUP: these changes to %s take a restart: %s", source.file(), String.join(", ", restart));
        }
    }

    private static MosquittoConfSource source(Config config) {
        for (ConfigSource source : config.getConfigSources()) {
            if (source instanceof MosquittoConfSource mosquitto) {
                return mosquitto;
            }
        }
        return null;
    }

    /** @return false when the change takes a restart */
    private boolean apply(String key, String value) {
        if (key.equals("midge.auth.allow-anonymous")) {
            brokerSecurity.allowAnonymous(Optional.ofNullable(value).map(Boolean::parseBoolean));
            return true;
        }
        if (key.startsWith(LISTENER_AUTH) && key.endsWith(ALLOW_ANONYMOUS)) {
            FileSecurity own = listener.ownSecurity(
                    key.substring(LISTENER_AUTH.length(), key.length() - ALLOW_ANONYMOUS.length()));
            if (own != null) {
                own.allowAnonymous(Optional.ofNullable(value).map(Boolean::parseBoolean));
            }
            return own != null;
        }
        return switch (key) {
            case LEVEL -> {
                LogLines.level("dev.midge", value);
                yield true;
            }
            case "quarkus.log.file.format" -> value != null && LogLines.format(true, value) > 0;
            case "quarkus.log.console.format" -> value != null && LogLines.format(false, value) > 0;
            default -> false;
        };
    }
}
