package dev.midge.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** One bridge to another MQTT broker ({@code midge.bridges.<name>.*}). */
public interface BridgeConfig {
    /** The remote broker, {@code host:port} (port 1883 when left out). */
    String address();

    /** The bridge's client id at the remote broker; {@code midge-bridge-<name>} by default. */
    Optional<String> clientId();

    /** Whether the remote broker forgets the bridge's subscriptions and queued messages when it goes. */
    @WithDefault("false")
    boolean cleanSession();

    Optional<String> username();

    Optional<String> password();

    @WithDefault("60")
    int keepalive();

    /**
     * What is bridged, one entry per line of Mosquitto's {@code topic} syntax:
     * {@code pattern [out|in|both [qos [local-prefix remote-prefix]]]}, {@code ""} for an empty prefix.
     */
    List<String> topics();

    /** The first wait before reconnecting; it doubles on each failure up to {@code max-reconnect-delay}. */
    @WithDefault("1s")
    Duration reconnectDelay();

    @WithDefault("60s")
    Duration maxReconnectDelay();

    /** Outgoing QoS 1/2 messages held while the remote broker is away; beyond it they are dropped. */
    @WithDefault("10000")
    int maxQueued();

    /** Whether the broker is unready while this bridge is down. */
    @WithDefault("false")
    boolean required();

    /** TLS to the remote broker; on when set, or when {@code ca-file} is. The host name is verified. */
    @WithDefault("false")
    boolean tls();

    /** PEM CA certificates the remote broker's certificate must chain to; the JDK's trusted CAs if unset. */
    Optional<String> caFile();

    /** PEM certificate chain and key the bridge presents to the remote broker (mutual TLS). */
    Optional<String> certFile();

    Optional<String> keyFile();
}
