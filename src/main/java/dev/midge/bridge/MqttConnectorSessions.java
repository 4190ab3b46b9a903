package dev.midge.bridge;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.reactive.messaging.ClientCustomizer;
import io.smallrye.reactive.messaging.mqtt.Clients;
import io.smallrye.reactive.messaging.mqtt.session.MqttClientSessionOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The MQTT connector's client sessions of the integrations' channels, dropped when an integration stops so that
 * it connects with a new session when started again.
 *
 * <p>Why: the connector keeps one session per remote broker, user and client id in a static cache, shared by
 * every channel and every run, and never stopped by an incoming channel. An outgoing channel whose integration
 * stops before the session first connected ends only once it has connected (its end waits for its start), and
 * then stops the session: the one the next run shares, whose messages were then refused for good. A dropped
 * session is stopped at once, and whatever the previous run's channels do later reaches it alone.
 *
 * <p>The connector offers no way to drop a session: its cache is read by reflection (registered for the native
 * build), under the key it files a session by, noted here as the connector makes each channel's options.
 */
@ApplicationScoped
@RegisterForReflection(targets = Clients.class)
public class MqttConnectorSessions implements ClientCustomizer<MqttClientSessionOptions> {

    private static final Logger LOG = Logger.getLogger(MqttConnectorSessions.class);
    /** The connector's static cache of sessions, by key. */
    public static final String CACHE_FIELD = "clients";

    /** Channel name to the key of its session in the connector's cache. */
    private final Map<String, String> keys = new ConcurrentHashMap<>();

    @Override
    public MqttClientSessionOptions customize(String channel, Config config, MqttClientSessionOptions options) {
        keys.put(channel, key(options));
        return options;
    }

    /** Last, so that the options seen are those the connector makes the session with. */
    @Override
    public int getPriority() {
        return Integer.MAX_VALUE;
    }

    /** Stops the sessions of these channels and drops them from the connector's cache. */
    void drop(Collection<String> channels) {
        List<String> removed = channels.stream().map(keys::remove).filter(Objects::nonNull).distinct().toList();
        // A session still filed for other channels is shared with another integration, which keeps it.
        List<String> dropped = removed.stream().filter(key -> !keys.containsValue(key)).toList();
        if (dropped.isEmpty()) {
            return;
        }
        Map<String, Clients.ClientHolder> cache = cache();
        for (String key : dropped) {
            Clients.ClientHolder session = cache == null ? null : cache.remove(key);
            if (session != null) {
                session.close();
            }
        }
    }

    /** The key the connector files a session under (its {@code Clients.getHolder}). */
    private static String key(MqttClientSessionOptions options) {
        return String.format("%s@%s:%s<%s>-[%s]", options.getUsername(), options.getHostname(), options.getPort(),
                options.getServerName().orElse(""), Optional.ofNullable(options.getClientId()).orElse(""));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Clients.ClientHolder> cache() {
        try {
            Field field = Clients.class.getDeclaredField(CACHE_FIELD);
            field.setAccessible(true);
            return (Map<String, Clients.ClientHolder>) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.errorf(e, "The MQTT connector's sessions cannot be dropped (its cache is not where it was): an "
                    + "integration stopped before it first connected may stay disconnected when started again");
            return null;
        }
    }
}
