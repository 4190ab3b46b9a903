package dev.midge.transport;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One MQTT listener as the dashboard shows it.
 *
 * @param name {@code mqtt}, {@code tls}, {@code ws}, {@code wss} for the built-in ones, else its
 *        {@code midge.listeners.<name>}
 * @param kind {@code mqtt}, {@code tls}, {@code ws} or {@code wss}: TCP or WebSocket, plain or with TLS
 * @param port the bound port while bound, else the configured one
 * @param connections the connections it accepted that are still open
 */
@RegisterForReflection
public record ListenerState(String name, String kind, String host, int port, boolean bound, int connections) {

    static String kind(boolean webSocket, boolean tls) {
        return webSocket ? (tls ? "wss" : "ws") : (tls ? "tls" : "mqtt");
    }
}
