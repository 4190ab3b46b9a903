package dev.midge.config;

import io.smallrye.config.WithDefault;

/** MQTT over WebSocket ({@code midge.websocket.*}). */
public interface WebSocketConfig {

    /** The path setting that takes the upgrade at any path, as Mosquitto's WebSocket listeners do. */
    String ANY_PATH = "*";

    @WithDefault("false")
    boolean enabled();

    /** The plain WebSocket listener (ws://). */
    @WithDefault("8083")
    int port();

    /** The secure WebSocket listener (wss://), on when enabled and {@code midge.tls.cert-file} is set. */
    @WithDefault("8084")
    int tlsPort();

    /** Clients the plain WebSocket listener serves at once; -1: no limit of its own. */
    @WithDefault("-1")
    int maxConnections();

    /** Clients the secure WebSocket listener serves at once; -1: no limit of its own. */
    @WithDefault("-1")
    int tlsMaxConnections();

    /**
     * The HTTP path of the WebSocket upgrade, or {@link #ANY_PATH} for any; clients ask for subprotocol
     * {@code mqtt}.
     */
    @WithDefault("/mqtt")
    String path();
}
