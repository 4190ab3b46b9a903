package dev.midge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A value a SIGHUP brings is refused exactly when start-up refuses it, with the same words. */
class SettingChecksTest {

    private static String atStartUp(String key, String value) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(MidgeConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of(key, value), "test", 250)).build();
        try {
            new ConfigValidator(config).validate(config.getConfigMapping(MidgeConfig.class));
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String onReload(String key, String value) {
        try {
            if (key.equals("midge.sys-interval") || key.endsWith("-interval") || key.endsWith("-expiry")) {
                SettingChecks.duration(key, value);
            } else {
                SettingChecks.number(key, value);
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    void eachReloadableKeyHasOneRule() {
        String[][] cases = {
            {"midge.max-inflight-messages", "0", "65535", "65536"},
            {"midge.max-queued-messages", "-1", "0", "2147483647"},
            {"midge.max-keepalive", "0", "1", "65536"},
            {"midge.max-packet-size", "15", "16", "268435456"},
            {"midge.max-payload-size", "-1", "268435455", "268435456"},
            {"midge.sys-interval", "500ms", "0s", "-1s"},
            {"midge.max-session-expiry", "0s", "1s", "-5s"},
            {"midge.persistence.flush-interval", "0s", "30s", "-1s"},
        };
        for (String[] c : cases) {
            String key = c[0];
            for (String value : new String[] {c[1], c[2], c[3]}) {
                String reload = onReload(key, value);
                String startUp = atStartUp(key, value);
                if (reload == null) {
                    assertEquals(null, startUp, key + "=" + value);
                } else {
                    assertTrue(startUp != null && startUp.contains(key + "=" + value + " (from PropertiesConfigSource[source=test]) " + reload),
                            key + "=" + value + ": " + startUp + " / " + reload);
                }
            }
            assertTrue(onReload(key, c[1]) != null && onReload(key, c[2]) == null, key);
        }
    }

    @Test
    void aValueThatIsNoNumberOrDurationIsRefusedWithWhatTheKeyTakes() {
        assertEquals("must be between 1 and 65535", assertThrows(IllegalArgumentException.class,
                () -> SettingChecks.number("midge.max-inflight-messages", "many")).getMessage());
        assertEquals("must be a positive duration", assertThrows(IllegalArgumentException.class,
                () -> SettingChecks.duration("midge.persistence.flush-interval", "soon")).getMessage());
    }
}
