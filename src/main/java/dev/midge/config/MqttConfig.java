package dev.midge.config;

import io.smallrye.config.WithDefault;

/** The plain TCP MQTT listener ({@code midge.mqtt.*}). */
public interface MqttConfig {
    /** Whether the plain (unencrypted) MQTT listener runs; off for a broker that speaks only TLS. */
    @WithDefault("true")
    boolean enabled();

    @WithDefault("0.0.0.0")
    String host();

    /** 0 binds a free port (tests). */
    @WithDefault("1883")
    int port();

    /** Clients this listener serves at once; -1: no limit of its own, only {@code midge.max-connections}. */
    @WithDefault("-1")
    int maxConnections();
}
