package dev.midge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The broker's whole configuration tree, under the prefix {@code midge.}. */
@ConfigMapping(prefix = "midge")
public interface MidgeConfig {

    /** The plain TCP MQTT listener. */
    Mqtt mqtt();

    /** Largest MQTT packet accepted (and later sent), in bytes, whole packet including the fixed header. */
    @WithDefault("1048576")
    int maxPacketSize();

    /** QoS 1 and 2 messages sent to one client and not yet acknowledged. */
    @WithDefault("20")
    int maxInflightMessages();

    /** QoS 1 and 2 messages held for one offline or busy client; beyond this, new ones are dropped and counted. */
    @WithDefault("1000")
    int maxQueuedMessages();

    /** Simultaneous client connections; -1 for no limit. */
    @WithDefault("-1")
    int maxConnections();

    /** How long a new socket may take to send its CONNECT before it is closed. */
    @WithDefault("10s")
    Duration connectTimeout();

    interface Mqtt {
        @WithDefault("0.0.0.0")
        String host();

        /** 0 binds a free port (tests). */
        @WithDefault("1883")
        int port();
    }
}
