package dev.midge.transport;

import dev.midge.config.ServerCertificateConfig.IdentitySource;

/**
 * One listener as {@link MqttListener} binds it.
 *
 * @param name the name its {@code midge.listener-auth.<name>} settings are under
 * @param keys the prefix of its settings' keys, such as {@code midge.mqtt.}, {@code midge.listeners.lan.}, or
 *        {@code midge.websocket.tls-} for the secure WebSocket listener ({@code tls-port}, ...)
 * @param tls its certificate, or null for a plain listener
 * @param webSocketPath the HTTP path of the WebSocket upgrade, or null for MQTT over TCP
 * @param identity the client certificate's name that is the user name, or null for the CONNECT's
 * @param maxConnections its own connection limit, -1 for none
 */
record ListenerSpec(String name, String keys, String host, int port, TlsContextSource tls, String webSocketPath,
        IdentitySource identity, int maxConnections) {

    String key(String setting) {
        return keys + setting;
    }

    /** The key of the address it binds: its own for a {@code midge.listeners} one, else the shared one. */
    String hostKey() {
        return keys.startsWith("midge.listeners.") ? keys + "host" : "midge.mqtt.host";
    }
}
