package dev.midge.config;

import io.smallrye.config.ConfigValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * Range checks that types alone cannot express. A bad value stops start-up with a message naming the key and
 * where the value came from.
 */
public final class ConfigValidator {

    /** MQTT's largest packet: the most its remaining length can say, 4 bytes of 7 bits. */
    public static final int MQTT_MAX_PACKET_SIZE = 268_435_455;

    private final Config config;
    private final List<String> problems = new ArrayList<>();

    public ConfigValidator(Config config) {
        this.config = config;
    }

    public void validate(MidgeConfig c) {
        validateLimits(c);
        validateIntegrations(c);
        validateListeners(c);
        validateServices(c);
        validateCluster(c.cluster());
        new LimitsConfigCheck(this::describe, problems).check(c.limits());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid configuration: " + String.join("; ", problems));
        }
    }

    /** The checks of {@code midge.limits} alone, as a reload of {@link LimitsFile} makes them. */
    public void validate(LimitsConfig limits) {
        new LimitsConfigCheck(this::describe, problems).check(limits);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid configuration: " + String.join("; ", problems));
        }
    }

    private void validateLimits(MidgeConfig c) {
        range("midge.mqtt.port", c.mqtt().port(), 0, 65535);
        range("midge.max-packet-size", c.maxPacketSize());
        range("midge.max-inflight-messages", c.maxInflightMessages());
        range("midge.max-payload-size", c.maxPayloadSize());
        c.maxSessionExpiry().ifPresent(v -> duration("midge.max-session-expiry", v));
        range("midge.max-queued-messages", c.maxQueuedMessages());
        duration("midge.connect-timeout", c.connectTimeout());
        range("midge.max-subscriptions-per-client", c.maxSubscriptionsPerClient(), 1, Integer.MAX_VALUE);
        range("midge.max-topic-levels", c.maxTopicLevels(), 1, 65_536);
        range("midge.max-user-properties", c.maxUserProperties(), 0, Integer.MAX_VALUE);
        range("midge.max-retained-per-subscribe", c.maxRetainedPerSubscribe(), 0, Integer.MAX_VALUE);
        duration("midge.packet-read-timeout", c.packetReadTimeout());
        c.maxKeepalive().ifPresent(v -> range("midge.max-keepalive", v));
        range("midge.receive-maximum", c.receiveMaximum(), 1, 65_535);
        range("midge.topic-alias.maximum", c.topicAlias().maximum(), 0, 65_535);
        duration("midge.reload-interval", c.reloadInterval());
        duration("midge.shutdown-timeout", c.shutdownTimeout());
        if (c.slowSubscriberTimeout().isNegative()) {
            problems.add(describe("midge.slow-subscriber-timeout") + " must not be negative (0 turns it off)");
        }
    }

    private void validateIntegrations(MidgeConfig c) {
        c.integrations().forEach((name, integration) -> {
            range("midge.integrations." + name + ".max-queued", integration.maxQueued(), 1, Integer.MAX_VALUE);
            if (c.bridges().containsKey(name)) {
                // Both are bridges to their meters and readiness, keyed by name.
                problems.add("midge.integrations." + name + " has the name of a bridge (midge.bridges." + name
                        + "): give it another");
            }
        });
    }

    private void validateListeners(MidgeConfig c) {
        range("midge.tls.port", c.tls().port(), 0, 65_535);
        range("midge.websocket.port", c.websocket().port(), 0, 65_535);
        range("midge.websocket.tls-port", c.websocket().tlsPort(), 0, 65_535);
        if (!c.mqtt().enabled() && c.tls().certFile().isEmpty() && !c.websocket().enabled()
                && c.listeners().isEmpty()) {
            problems.add(describe("midge.mqtt.enabled") + " leaves no listener: configure midge.tls.cert-file, "
                    + "midge.websocket.enabled or midge.listeners");
        }
        new ListenersConfigCheck(this::describe, problems).check(c);
        if (c.mqtt().host().isBlank()) {
            problems.add(describe("midge.mqtt.host") + " must not be empty");
        }
    }

    private void validateServices(MidgeConfig c) {
        duration("midge.sys-interval", c.sysInterval());
        duration("midge.health.event-loop-timeout", c.health().eventLoopTimeout());
        range("midge.auth.max-failures", c.auth().maxFailures(), 0, Integer.MAX_VALUE);
        duration("midge.auth.failure-window", c.auth().failureWindow());
        range("midge.admin.max-failures", c.admin().maxFailures(), 0, Integer.MAX_VALUE);
        duration("midge.admin.failure-window", c.admin().failureWindow());
        duration("midge.persistence.flush-interval", c.persistence().flushInterval());
        duration("midge.persistence.compact-interval", c.persistence().compactInterval());
        if (c.persistence().enabled() && c.persistence().dir().isBlank()) {
            problems.add(describe("midge.persistence.dir") + " must not be empty");
        }
        if (c.admin().enabled() && c.admin().tokenFile().isEmpty() && c.admin().passwordFile().isEmpty()) {
            problems.add(describe("midge.admin.enabled") + " needs midge.admin.token-file or"
                    + " midge.admin.password-file, so that only operators can use the write operations");
        }
    }

    private void validateCluster(ClusterConfig cluster) {
        range("midge.cluster.port", cluster.port(), 1, 65_535);
        // The engine allows at most 6 backups of an entry.
        range("midge.cluster.backups", cluster.backups(), 0, 6);
        if (cluster.failureTimeout().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add(describe("midge.cluster.failure-timeout") + " must be at least 1s");
        }
        if (cluster.name().isBlank()) {
            problems.add(describe("midge.cluster.name") + " must not be empty");
        }
        if (cluster.host().isBlank()) {
            problems.add(describe("midge.cluster.host") + " must not be empty");
        }
        for (String member : cluster.members().orElse(List.of())) {
            int colon = member.lastIndexOf(':');
            if (colon <= 0 || !isPort(member.substring(colon + 1))) {
                problems.add(describe("midge.cluster.members") + ": " + member + " is not host:port");
            }
        }
        if (cluster.members().isPresent() && cluster.dnsName().isPresent()) {
            problems.add(describe("midge.cluster.members") + " and " + describe("midge.cluster.dns-name")
                    + " are both set; a node finds the others either by a static list or by DNS, so set one");
        }
        if (cluster.enabled() && cluster.members().isEmpty() && cluster.dnsName().isEmpty()) {
            problems.add(describe("midge.cluster.enabled") + " needs midge.cluster.members or"
                    + " midge.cluster.dns-name, so that the node can find the others");
        }
    }

    private static boolean isPort(String text) {
        try {
            int port = Integer.parseInt(text);
            return port > 0 && port <= 65_535;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void range(String key, long value, long min, long max) {
        refuse(key, SettingChecks.outOfRange(value, min, max));
    }

    /** For the keys a reload can change too, whose ranges {@link SettingChecks} holds. */
    private void range(String key, long value) {
        refuse(key, SettingChecks.outOfRange(key, value));
    }

    /** A positive duration, or for {@code midge.sys-interval} 0 or at least 1s. */
    private void duration(String key, Duration value) {
        refuse(key, SettingChecks.badDuration(key, value));
    }

    private void refuse(String key, String problem) {
        if (problem != null) {
            problems.add(describe(key) + " " + problem);
        }
    }

    private String describe(String key) {
        ConfigValue value = (ConfigValue) config.getConfigValue(key);
        String source = value.getSourceName() == null ? "default" : value.getSourceName();
        return key + "=" + value.getValue() + " (from " + source + ")";
    }
}
