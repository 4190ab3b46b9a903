package dev.midge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The broker's whole configuration tree, under the prefix {@code midge.}. */
@ConfigMapping(prefix = "midge")
public interface MidgeConfig {

    /** The plain TCP MQTT listener. */
    MqttConfig mqtt();

    /** Largest MQTT packet accepted and sent, in bytes, whole packet including the fixed header. */
    @WithDefault("1048576")
    int maxPacketSize();

    /**
     * Largest PUBLISH payload accepted, in bytes; 0: only the packet size limits it. A larger one is dropped: QoS
     * 1 and 2 are acknowledged (MQTT 5 with Packet too large, 0x95), so the client does not send it again.
     */
    @WithDefault("0")
    int maxPayloadSize();

    /**
     * Whether clients may publish retained messages. When false, MQTT 5 CONNACK says Retain Available 0, a
     * PUBLISH with the retain flag closes its connection (MQTT 5: DISCONNECT 0x9A, Retain not supported), a will
     * with it is refused, and {@code $SYS} topics are published without it.
     */
    @WithDefault("true")
    boolean retainAvailable();

    /**
     * The longest a session outlives its connection: MQTT 3 persistent sessions, which otherwise never end, and
     * MQTT 5 sessions asking for a longer Session Expiry Interval end after this long offline. Unset: no limit.
     */
    Optional<Duration> maxSessionExpiry();

    /** QoS 1 and 2 messages sent to one client and not yet acknowledged. */
    @WithDefault("20")
    int maxInflightMessages();

    /**
     * How long publishers may stay paused for one subscriber that is not catching up before its connection is
     * closed (a client that stopped reading, or a dead peer not yet found out by keepalive); 0 never closes it.
     */
    @WithDefault("30s")
    Duration slowSubscriberTimeout();

    /**
     * Messages held for one client (QoS 1/2 while it is offline or busy, QoS 0 while its socket is full): at this
     * many its publishers pause while it is online; beyond it (twice it when online), new ones are dropped and
     * counted.
     */
    @WithDefault("1000")
    int maxQueuedMessages();

    /**
     * Subscriptions one client may hold (shared ones included); a SUBSCRIBE for more is refused per filter
     * with Quota exceeded (0x97, 0x80 on MQTT 3). Replacing an existing subscription does not count.
     */
    @WithDefault("10000")
    int maxSubscriptionsPerClient();

    /**
     * Levels a topic name or filter from a client may have (Mosquitto's fixed limit since CVE-2019-11779).
     * A PUBLISH over it is treated as an invalid topic name, a filter over it as an invalid filter.
     */
    @WithDefault("201")
    int maxTopicLevels();

    /** Retained messages sent for one SUBSCRIBE, over all its filters; 0 sends all of them. */
    @WithDefault("0")
    int maxRetainedPerSubscribe();

    /**
     * User properties one MQTT 5 packet may carry; a packet with more is refused with DISCONNECT 0x97 (Quota
     * exceeded) before it is decoded. A 1 MiB packet holds up to 150,000 tiny ones, each an object to decode,
     * keep and encode again for every subscriber.
     */
    @WithDefault("1024")
    int maxUserProperties();

    /**
     * How long one packet may take from its first byte to its last; a connection whose packet trickles in
     * slower is closed (MQTT 5: DISCONNECT 0x8D).
     */
    @WithDefault("60s")
    Duration packetReadTimeout();

    /** Simultaneous client connections over all listeners; -1 for no limit. Each listener may have its own too. */
    @WithDefault("-1")
    int maxConnections();

    /** How long a new socket may take to send its CONNECT before it is closed. */
    @WithDefault("10s")
    Duration connectTimeout();

    /**
     * The longest keepalive a client may use, in seconds. MQTT 5 clients asking for more (or for none) are told
     * this one as Server Keep Alive; MQTT 3 clients asking for more are refused. Unset: no limit.
     */
    OptionalInt maxKeepalive();

    /** MQTT 5 Receive Maximum: incoming QoS 2 messages a client may have awaiting PUBREL. */
    @WithDefault("1000")
    int receiveMaximum();

    /** MQTT 5 topic aliases. */
    TopicAliasConfig topicAlias();

    /** Whether MQTT 5 DISCONNECT and CONNACK refusals carry a human-readable Reason String. */
    @WithDefault("true")
    boolean reasonStrings();

    /** The TLS listener, on when a certificate and key are configured. */
    TlsConfig tls();

    /** MQTT over WebSocket, and over secure WebSocket when a TLS certificate is configured. */
    WebSocketConfig websocket();

    /**
     * Listeners beyond the four above, by name ({@code midge.listeners.<name>.*}): each with its own port,
     * address and certificate, and its own {@code midge.listener-auth.<name>} when it has one.
     */
    Map<String, ExtraListenerConfig> listeners();

    /** Who may connect, and what they may do. */
    AuthConfig auth();

    /**
     * Authentication and ACL of one listener, by name: {@code mqtt}, {@code tls}, {@code ws}, {@code wss} or the
     * name of one of {@code midge.listeners} ({@code midge.listener-auth.<listener>.*}). A listener with an entry
     * uses only its entry; the others use {@code midge.auth}. The failed-login throttle and enhanced
     * authentication stay those of {@code midge.auth}.
     */
    Map<String, ListenerAuthConfig> listenerAuth();

    /** How often the password, ACL and certificate files are checked for changes. */
    @WithDefault("2s")
    Duration reloadInterval();
    /**
     * How often the {@code $SYS/broker/...} statistics are published as retained messages; 0 turns them off.
     */
    @WithDefault("10s")
    Duration sysInterval();

    /**
     * On shutdown, how long connections may take to send what is still buffered for them and close after the
     * broker told them it is stopping; those still open then are cut.
     */
    @WithDefault("10s")
    Duration shutdownTimeout();

    /** The health probes. */
    HealthConfig health();

    /** Where sessions, queued messages and retained messages are kept across restarts. */
    PersistenceConfig persistence();

    /** The HTTP admin API. */
    AdminConfig admin();

    /** The web dashboard served at {@code /}. */
    DashboardConfig dashboard();

    /** How the broker logs. */
    LogConfig log();

    /**
     * A Mosquitto configuration file to run as it is ({@code -c FILE} on the command line sets this); its
     * options are mapped onto these settings, which still override it (docs/mosquitto.md).
     */
    Optional<String> mosquittoConf();

    /** A file the broker writes its process id into at start and removes at shutdown, as Mosquitto's pid_file. */
    Optional<String> pidFile();

    /** Bridges to other MQTT brokers, by name: {@code midge.bridges.<name>.*}. */
    Map<String, BridgeConfig> bridges();

    /**
     * Bridges whose far end is a Reactive Messaging connector (Kafka, MQTT, AMQP, ...), by name:
     * {@code midge.integrations.<name>.*}.
     */
    Map<String, IntegrationConfig> integrations();

    /** Overload protection: publish rates, flapping clients, connection rates, retained quota. */
    LimitsConfig limits();

    /** Several brokers acting as one, on an embedded Hazelcast (see docs/cluster.md). */
    ClusterConfig cluster();

}
