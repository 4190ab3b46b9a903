package dev.midge.protocol;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Small limits, so that tests reach them with a handful of messages. Shared by all limit tests. */
public class SmallLimitsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "midge.max-queued-messages", "5",
                "midge.max-inflight-messages", "2",
                "midge.max-connections", "40",
                "midge.connect-timeout", "1s",
                "midge.max-packet-size", "1024");
    }
}
