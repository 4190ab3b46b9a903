package dev.midge.config;

import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * A listener beyond the four built-in ones ({@code midge.listeners.<name>.*}): its own port and address, MQTT
 * over TCP or WebSocket, and TLS with its own certificate when {@code cert-file} is set.
 */
public interface ExtraListenerConfig extends ServerCertificateConfig {

    int port();

    /** The address to bind; {@code midge.mqtt.host} when unset. */
    Optional<String> host();

    /** MQTT in WebSocket frames, instead of over TCP. */
    @WithDefault("false")
    boolean websocket();

    /** The HTTP path of its WebSocket upgrade, {@code *} for any; {@code midge.websocket.path} when unset. */
    Optional<String> websocketPath();

    /** Clients this listener serves at once; -1: no limit of its own, only {@code midge.max-connections}. */
    @WithDefault("-1")
    int maxConnections();
}
