package dev.midge.protocol;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Small limits, so that tests reach them with a handful of messages and connections. The one profile shared by
 * all limit tests: each distinct profile restarts Quarkus.
 */
public class SmallLimitsProfile implements QuarkusTestProfile {

    public static final int MAX_QUEUED_MESSAGES = 5;
    public static final int MAX_INFLIGHT_MESSAGES = 2;
    public static final int MAX_CONNECTIONS = 10;
    public static final int MAX_PACKET_SIZE = 1024;
    public static final int MAX_SUBSCRIPTIONS_PER_CLIENT = 4;
    public static final int MAX_TOPIC_LEVELS = 8;
    /** Above twice the queue limit, so that retained messages queued all at once would be dropped. */
    public static final int MAX_RETAINED_PER_SUBSCRIBE = 20;
    public static final int PACKET_READ_TIMEOUT_MILLIS = 1000;
    public static final int MAX_USER_PROPERTIES = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "midge.max-queued-messages", String.valueOf(MAX_QUEUED_MESSAGES),
                "midge.max-inflight-messages", String.valueOf(MAX_INFLIGHT_MESSAGES),
                "midge.max-connections", String.valueOf(MAX_CONNECTIONS),
                "midge.connect-timeout", "1s",
                "midge.max-packet-size", String.valueOf(MAX_PACKET_SIZE),
                "midge.max-subscriptions-per-client", String.valueOf(MAX_SUBSCRIPTIONS_PER_CLIENT),
                "midge.max-topic-levels", String.valueOf(MAX_TOPIC_LEVELS),
                "midge.max-retained-per-subscribe", String.valueOf(MAX_RETAINED_PER_SUBSCRIBE),
                "midge.packet-read-timeout", PACKET_READ_TIMEOUT_MILLIS + "ms",
                "midge.max-user-properties", String.valueOf(MAX_USER_PROPERTIES));
    }
}
