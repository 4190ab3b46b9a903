package dev.midge.mqtt5;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Small MQTT 5 limits, so that tests reach them with a few packets. Shared by every test that needs them, and
 * by {@code DashboardDisabledTest}, whose dashboard turned off no MQTT test here looks at: one application start
 * for both.
 */
public class Mqtt5LimitsProfile implements QuarkusTestProfile {

    static final int RECEIVE_MAXIMUM = 2;
    static final int MAX_KEEPALIVE = 30;
    static final int MAX_PACKET_SIZE = 2048;
    static final int TOPIC_ALIAS_MAXIMUM = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "midge.receive-maximum", String.valueOf(RECEIVE_MAXIMUM),
                "midge.max-keepalive", String.valueOf(MAX_KEEPALIVE),
                "midge.max-packet-size", String.valueOf(MAX_PACKET_SIZE),
                "midge.topic-alias.maximum", String.valueOf(TOPIC_ALIAS_MAXIMUM),
                "midge.dashboard.enabled", "false");
    }
}
