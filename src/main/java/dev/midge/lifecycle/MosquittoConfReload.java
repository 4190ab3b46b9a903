package dev.midge.lifecycle;

import static dev.midge.config.SettingChecks.duration;
import static dev.midge.config.SettingChecks.number;
import static dev.midge.config.SettingChecks.sync;

import dev.midge.config.mosquitto.MappedConf.Setting;
import dev.midge.config.mosquitto.MosquittoConfChanges;
import dev.midge.config.mosquitto.MosquittoConfException;
import dev.midge.config.mosquitto.MosquittoConfSource;
import dev.midge.logging.JsonLogging;
import dev.midge.logging.LogLines;
import dev.midge.management.SysTopicsPublisher;
import dev.midge.persistence.BrokerStore;
import dev.midge.persistence.LocalStore;
import dev.midge.protocol.MqttConnectionFactory;
import dev.midge.security.FileSecurity;
import dev.midge.session.SessionRegistry;
import dev.midge.transport.MqttListener;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

/**
 * SIGHUP for a broker run with {@code -c mosquitto.conf}: reads the file again and applies what can change
 * while running (who may connect anonymously, the password and ACL files clients are checked against, the log
 * level, line format and destinations ({@link LogDestReload}), how often the store writes and where it lives,
 * how often {@code $SYS} is published and whether retained; for what starts from then on the connection lines,
 * packet size limit and retain availability of connections, the keepalive ceiling of CONNECTs, the payload limit
 * of PUBLISHes, the in-flight and queue limits of sessions and the longest a session outlives a connection that
 * ends), and names what takes a restart in one WARN line. A setting given as a system property or environment
 * variable wins over the file, before and after.
 */
@ApplicationScoped
@Unremovable // used by HangupReload only
public class MosquittoConfReload {

    private static final Logger LOG = Logger.getLogger(MosquittoConfReload.class);
    private static final String LEVEL = "quarkus.log.category.\"dev.midge\".level";
    private static final String LISTENER_AUTH = "midge.listener-auth.";
    private static final String BROKER_AUTH = "midge.auth.";

    private final FileSecurity brokerSecurity;
    private final MqttListener listener;
    private final MqttConnectionFactory connections;
    private final SessionRegistry sessions;
    private final SysTopicsPublisher sysTopics;
    private final BrokerStore store;
    private final JsonLogging jsonLogging;

    public MosquittoConfReload(FileSecurity brokerSecurity, MqttListener listener,
            MqttConnectionFactory connections, SessionRegistry sessions, SysTopicsPublisher sysTopics,
            @LocalStore BrokerStore store, JsonLogging jsonLogging) {
        this.brokerSecurity = brokerSecurity;
        this.listener = listener;
        this.connections = connections;
        this.sessions = sessions;
        this.sysTopics = sysTopics;
        this.store = store;
        this.jsonLogging = jsonLogging;
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
        List<String> refused = new ArrayList<>();
        UnaryOperator<String> after = key -> {
            if (changes.containsKey(key) && !overridden(config, key)) {
                Setting setting = changes.get(key);
                return setting == null ? withoutFile(config, key) : setting.value();
            }
            return config.getOptionalValue(key, String.class).orElse(null);
        };
        changes.forEach((key, setting) -> {
            if (overridden(config, key)) {
                return;
            }
            String shown = key + (setting == null ? " unset" : "=" + setting.value() + " (" + setting.where() + ")");
            try {
                if (apply(key, after)) {
                    source.update(key, setting);
                    applied.add(shown);
                } else {
                    restart.add(shown);
                }
            } catch (IllegalArgumentException e) {
                refused.add(shown + " " + e.getMessage());
            }
        });
        LOG.infof("SIGHUP: re-read %s, applied %s", source.file(), applied.isEmpty() ? "no change" : applied);
        if (!refused.isEmpty()) {
            LOG.errorf("SIGHUP: these values in %s are refused, those in use stay: %s", source.file(),
                    String.join("; ", refused));
        }
        if (!restart.isEmpty()) {
            LOG.warnf("SIGHUP: these changes to %s take a restart: %s", source.file(), String.join(", ", restart));
        }
    }

    /** Whether a system property or environment variable gives the key, which wins over the file. */
    private static boolean overridden(Config config, String key) {
        return config.getConfigValue(key).getSourceOrdinal() > MosquittoConfSource.ORDINAL;
    }

    /** The key's value without the file: from another source or its default; null when there is none. */
    private static String withoutFile(Config config, String key) {
        for (ConfigSource other : config.getConfigSources()) {
            if (!(other instanceof MosquittoConfSource) && other.getValue(key) != null) {
                return other.getValue(key);
            }
        }
        return null;
    }

    private static MosquittoConfSource source(Config config) {
        for (ConfigSource source : config.getConfigSources()) {
            if (source instanceof MosquittoConfSource mosquitto) {
                return mosquitto;
            }
        }
        return null;
    }

    /**
     * @param after each key's value as this reload leaves it
     * @return false when the change takes a restart
     */
    private boolean apply(String key, UnaryOperator<String> after) {
        String value = after.apply(key);
        if (key.startsWith(BROKER_AUTH) || key.startsWith(LISTENER_AUTH)) {
            return applySecurity(securityOf(key), key, value);
        }
        if (LogDestReload.isDestination(key)) {
            LogDestReload.apply(after);
            jsonLogging.install();
            return true;
        }
        return switch (key) {
            case LEVEL -> {
                LogLines.level("dev.midge", value);
                yield true;
            }
            // With no handler of its kind yet, a log_dest line added on this reload makes one in this format.
            case "quarkus.log.file.format", "quarkus.log.console.format" -> {
                if (value != null) {
                    LogLines.format(key.equals("quarkus.log.file.format"), value);
                }
                yield value != null;
            }
            default -> applyFromNowOn(key, value);
        };
    }

    /** The security a {@code midge.auth} or {@code midge.listener-auth.<listener>} key is of, or null. */
    private FileSecurity securityOf(String key) {
        if (key.startsWith(BROKER_AUTH)) {
            return brokerSecurity;
        }
        String rest = key.substring(LISTENER_AUTH.length());
        int dot = rest.lastIndexOf('.');
        return dot < 0 ? null : listener.ownSecurity(rest.substring(0, dot));
    }

    /**
     * @param security null for a listener that had no settings of its own at start-up: a change takes a restart
     * @throws IllegalArgumentException for a password or ACL file that cannot be read
     */
    private static boolean applySecurity(FileSecurity security, String key, String value) {
        if (security == null) {
            return false;
        }
        if (key.endsWith(".allow-anonymous")) {
            security.allowAnonymous(Optional.ofNullable(value).map(Boolean::parseBoolean));
            return true;
        }
        if (key.endsWith(".password-file")) {
            security.passwordFile(Optional.ofNullable(value));
            return true;
        }
        if (key.endsWith(".acl-file")) {
            security.aclFile(Optional.ofNullable(value));
            return true;
        }
        return false;
    }

    /**
     * The settings read as something starts: a connection, a CONNECT, a session, the next {@code $SYS}
     * publication. What is under way keeps what it started with.
     *
     * @return false when the change takes a restart
     * @throws IllegalArgumentException for a value the broker would refuse at start-up
     */
    private boolean applyFromNowOn(String key, String value) {
        switch (key) {
            case "midge.max-keepalive" -> connections.maxKeepalive(value == null ? OptionalInt.empty()
                    : OptionalInt.of(number(key, value)));
            case "midge.max-inflight-messages" -> sessions.maxInflightMessages(number(key, value));
            case "midge.max-queued-messages" -> sessions.maxQueuedMessages(number(key, value));
            case "midge.log.connection-messages" -> listener.connectionMessages(Boolean.parseBoolean(value));
            case "midge.sys-interval" -> sysTopics.interval(duration(key, value));
            case "midge.max-packet-size" -> listener.maxPacketSize(number(key, value));
            case "midge.max-payload-size" -> connections.maxPayloadSize(number(key, value));
            case "midge.retain-available" -> {
                boolean available = value == null || Boolean.parseBoolean(value);
                connections.retainAvailable(available);
                sysTopics.retainAvailable(available);
            }
            case "midge.persistence.sync" -> store.sync(sync(value));
            case "midge.persistence.flush-interval" -> store.flushInterval(duration(key, value));
            case "midge.persistence.dir" -> store.relocate(value);
            case "midge.max-session-expiry" -> sessions.maxSessionExpiry(Optional.ofNullable(value)
                    .map(v -> duration(key, v)));
            default -> {
                return false;
            }
        }
        return true;
    }
}
