package dev.midge.fuzz;

import dev.midge.config.MidgeConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** The broker's configuration for in-memory tests: the defaults, with a few limits small enough to reach. */
final class FuzzConfig {

    /** Small enough that a fuzzer's input can cross it, large enough for every structured packet. */
    static final int MAX_PACKET_SIZE = 16_384;
    static final int MAX_QUEUED = 50;
    static final int MAX_INFLIGHT = 10;
    static final int RECEIVE_MAXIMUM = 20;

    private static final MidgeConfig CONFIG = new SmallRyeConfigBuilder()
            .withConverter(Duration.class, 100, new DurationConverter())
            .withMapping(MidgeConfig.class)
            .withDefaultValues(Map.of(
                    "midge.max-packet-size", Integer.toString(MAX_PACKET_SIZE),
                    "midge.max-queued-messages", Integer.toString(MAX_QUEUED),
                    "midge.max-inflight-messages", Integer.toString(MAX_INFLIGHT),
                    "midge.receive-maximum", Integer.toString(RECEIVE_MAXIMUM),
                    "midge.persistence.enabled", "false",
                    "midge.websocket.enabled", "true"))
            .build()
            .getConfigMapping(MidgeConfig.class);

    private FuzzConfig() {
    }

    static MidgeConfig get() {
        return CONFIG;
    }
}
