package dev.midge.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values that their types allow but the broker cannot use stop start-up, naming key, value and source. */
class ConfigValidatorTest {

    private static void validate(Map<String, String> values) {
        // Quarkus' own converter reads durations such as "10s", as in the running broker.
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(MidgeConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(values, "configmap.properties", 250)).build();
        new ConfigValidator(config).validate(config.getConfigMapping(MidgeConfig.class));
    }

    private static String problem(Map<String, String> values) {
        return assertThrows(IllegalArgumentException.class, () -> validate(values)).getMessage();
    }

    @Test
    void theEmbeddedDefaultsAreValid() {
        assertDoesNotThrow(() -> validate(Map.of()));
    }

    @Test
    void aBadValueIsNamedWithItsSource() {
        String message = problem(Map.of("midge.max-inflight-messages", "0"));
        assertTrue(message.contains("midge.max-inflight-messages=0 (from ") && message.contains("configmap.properties"),
                message);
        assertTrue(message.contains("between 1 and 65535"), message);
    }

    @Test
    void aPayloadLimitIsZeroOrAPacketsWorthAndASessionExpiryCapIsPositive() {
        String message = problem(Map.of("midge.max-payload-size", "-1"));
        assertTrue(message.contains("midge.max-payload-size=-1 (from ") && message.contains("configmap.properties")
                && message.contains("between 0 and 268435455"), message);
        message = problem(Map.of("midge.max-session-expiry", "0s"));
        assertTrue(message.contains("midge.max-session-expiry=0s (from ") && message.contains("positive duration"),
                message);
        assertDoesNotThrow(() -> validate(Map.of("midge.max-payload-size", "100", "midge.max-session-expiry", "14d",
                "midge.retain-available", "false")));
    }

    @Test
    void eachListenersConnectionLimitIsMinusOneOrPositive() {
        for (String key : new String[] {"midge.max-connections", "midge.mqtt.max-connections",
                "midge.tls.max-connections", "midge.websocket.max-connections",
                "midge.websocket.tls-max-connections"}) {
            String message = problem(Map.of(key, "0"));
            assertTrue(message.contains(key + "=0 (from ") && message.contains("must be -1 (no limit) or between 1"),
                    message);
        }
        String message = problem(Map.of("midge.listeners.lan.port", "1884", "midge.listeners.lan.max-connections",
                "-5"));
        assertTrue(message.contains("midge.listeners.lan.max-connections=-5 (from "), message);
        assertDoesNotThrow(() -> validate(Map.of("midge.mqtt.max-connections", "1",
                "midge.listeners.lan.port", "1884", "midge.listeners.lan.max-connections", "-1")));
    }

    @Test
    void turningThePlainListenerOffNeedsAnotherListener() {
        assertTrue(problem(Map.of("midge.mqtt.enabled", "false")).contains("leaves no listener"));
        assertDoesNotThrow(() -> validate(Map.of("midge.mqtt.enabled", "false", "midge.websocket.enabled", "true")));
    }

    @Test
    void adminWritesNeedCredentials() {
        String message = problem(Map.of("midge.admin.enabled", "true"));
        assertTrue(message.contains("midge.admin.token-file or midge.admin.password-file"), message);
        assertDoesNotThrow(() -> validate(Map.of("midge.admin.enabled", "true",
                "midge.admin.token-file", "/run/secrets/admin-token")));
    }

    @Test
    void theAdminLoginThrottleIsChecked() {
        assertTrue(problem(Map.of("midge.admin.max-failures", "-1")).contains("midge.admin.max-failures=-1"));
        assertTrue(problem(Map.of("midge.admin.failure-window", "0s")).contains("midge.admin.failure-window"));
    }

    @Test
    void webSocketPathAndPersistenceSettingsAreChecked() {
        assertTrue(problem(Map.of("midge.websocket.path", "mqtt")).contains("midge.websocket.path"));
        assertDoesNotThrow(() -> validate(Map.of("midge.websocket.path", "*")));
        String message = problem(Map.of("midge.listeners.kiosk.port", "1884",
                "midge.listeners.kiosk.websocket-path", "kiosk"));
        assertTrue(message.contains("midge.listeners.kiosk.websocket-path=kiosk (from ")
                && message.contains("must start with / (or be * for any path)"), message);
        assertTrue(problem(Map.of("midge.persistence.flush-interval", "0s"))
                .contains("midge.persistence.flush-interval"));
        assertTrue(problem(Map.of("midge.persistence.dir", " ")).contains("midge.persistence.dir"));
        assertTrue(problem(Map.of("midge.shutdown-timeout", "0s")).contains("midge.shutdown-timeout"));
    }

    @Test
    void listenerAuthNamesAKnownListener() {
        String message = problem(Map.of("midge.listener-auth.websocket.allow-anonymous", "false"));
        assertTrue(message.contains("midge.listener-auth.websocket") && message.contains("mqtt, tls, ws, wss"),
                message);
        assertDoesNotThrow(() -> validate(Map.of("midge.listener-auth.mqtt.allow-anonymous", "true",
                "midge.listener-auth.tls.password-file", "/run/secrets/passwords",
                "midge.listener-auth.ws.acl-file", "/run/secrets/acl",
                "midge.listener-auth.wss.allow-anonymous", "false")));
        assertDoesNotThrow(() -> validate(Map.of("midge.listeners.second.port", "1884",
                "midge.listener-auth.second.allow-anonymous", "true")));
    }

    @Test
    void anExtraListenerNeedsAPortInRangeANameOfItsOwnAndACompleteCertificate() {
        assertTrue(problem(Map.of("midge.listeners.second.port", "70000"))
                .contains("midge.listeners.second.port=70000"));
        assertTrue(problem(Map.of("midge.listeners.tls.port", "8884")).contains("built-in listener"));
        assertTrue(problem(Map.of("midge.listeners.second.port", "8884", "midge.listeners.second.cert-file", "/c"))
                .contains("midge.listeners.second.cert-file and midge.listeners.second.key-file"));
        assertTrue(problem(Map.of("midge.listeners.second.port", "8884", "midge.listeners.second.client-auth",
                "required")).contains("needs midge.listeners.second.ca-file"));
        assertDoesNotThrow(() -> validate(Map.of("midge.mqtt.enabled", "false", "midge.listeners.only.port", "1884")),
                "an extra listener is a listener");
    }

    @Test
    void anIntegrationKeepsAtLeastOneMessageForItsConnector() {
        String message = problem(Map.of("midge.integrations.stream.connector", "smallrye-kafka",
                "midge.integrations.stream.topics[0]", "# out", "midge.integrations.stream.max-queued", "0"));
        assertTrue(message.contains("midge.integrations.stream.max-queued=0"), message);
    }

    @Test
    void anIntegrationMayNotTakeABridgesName() {
        String message = problem(Map.of("midge.integrations.cloud.connector", "smallrye-kafka",
                "midge.integrations.cloud.topics[0]", "# out", "midge.bridges.cloud.address", "broker:1883",
                "midge.bridges.cloud.topics[0]", "# out"));
        assertTrue(message.contains("midge.integrations.cloud has the name of a bridge"), message);
    }

    @Test
    void resourceLimitsAreChecked() {
        String message = problem(Map.of("midge.max-subscriptions-per-client", "0", "midge.max-topic-levels", "0",
                "midge.max-retained-per-subscribe", "-1", "midge.packet-read-timeout", "0s",
                "midge.max-user-properties", "-1"));
        assertTrue(message.contains("midge.max-subscriptions-per-client=0")
                && message.contains("midge.max-topic-levels=0")
                && message.contains("midge.max-retained-per-subscribe=-1")
                && message.contains("midge.packet-read-timeout=0s")
                && message.contains("midge.max-user-properties=-1"), message);
        assertDoesNotThrow(() -> validate(Map.of("midge.max-subscriptions-per-client", "1",
                "midge.max-topic-levels", "65536", "midge.max-retained-per-subscribe", "0",
                "midge.packet-read-timeout", "1s")));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String message = problem(Map.of("midge.mqtt.port", "70000", "midge.receive-maximum", "0"));
        assertTrue(message.contains("midge.mqtt.port") && message.contains("midge.receive-maximum"), message);
    }

    @Test
    void aClusterNeedsAWayToFindItsNodesAndValidAddresses() {
        String alone = problem(Map.of("midge.cluster.enabled", "true"));
        assertTrue(alone.contains("midge.cluster.members or midge.cluster.dns-name"), alone);
        String bad = problem(Map.of("midge.cluster.members", "node-a:5701,node-b", "midge.cluster.port", "0",
                "midge.cluster.failure-timeout", "500ms", "midge.cluster.backups", "7"));
        assertTrue(bad.contains("node-b is not host:port") && bad.contains("midge.cluster.port")
                && bad.contains("midge.cluster.failure-timeout") && bad.contains("midge.cluster.backups"), bad);
        assertDoesNotThrow(() -> validate(Map.of("midge.cluster.enabled", "true",
                "midge.cluster.dns-name", "midge-headless.default.svc.cluster.local")));
        String both = problem(Map.of("midge.cluster.members", "node-a:5701",
                "midge.cluster.dns-name", "midge-headless.default.svc.cluster.local"));
        assertTrue(both.contains("midge.cluster.members=node-a:5701") && both.contains("are both set"), both);
    }
}
