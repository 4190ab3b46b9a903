package dev.midge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The broker's whole configuration tree, under the prefix {@code midge.}. */
@ConfigMapping(prefix = "midge")
public interface MidgeConfig {

    /** The plain TCP MQTT listener. */
    Mqtt mqtt();

    /** Largest MQTT packet accepted and sent, in bytes, whole packet including the fixed header. */
    @WithDefault("1048576")
    int maxPacketSize();

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

    /** Simultaneous client connections; -1 for no limit. */
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
    TopicAlias topicAlias();

    /** Whether MQTT 5 DISCONNECT and CONNACK refusals carry a human-readable Reason String. */
    @WithDefault("true")
    boolean reasonStrings();

    /** The TLS listener, on when a certificate and key are configured. */
    Tls tls();

    interface Tls {
        @WithDefault("8883")
        int port();

        /** PEM certificate chain of the server. */
        Optional<String> certFile();

        /** PEM private key, PKCS#8 (any algorithm) or PKCS#1 (RSA). */
        Optional<String> keyFile();

        /** PEM CA certificates that client certificates must chain to (mutual TLS). */
        Optional<String> caFile();

        /** none, request or required: whether clients must present a certificate. */
        @WithDefault("none")
        ClientAuth clientAuth();

        /** Take the user name from the client certificate instead of the CONNECT (Mosquitto's option). */
        @WithDefault("false")
        boolean useIdentityAsUsername();

        /** Which name of the certificate: the subject's CN, or the first e-mail, DNS or URI alternative name. */
        @WithDefault("cn")
        IdentitySource identitySource();

        enum ClientAuth { NONE, REQUEST, REQUIRED }

        enum IdentitySource { CN, SAN }
    }

    /** MQTT over WebSocket, and over secure WebSocket when a TLS certificate is configured. */
    WebSocket websocket();

    interface WebSocket {
        @WithDefault("false")
        boolean enabled();

        /** The plain WebSocket listener (ws://). */
        @WithDefault("8083")
        int port();

        /** The secure WebSocket listener (wss://), on when enabled and {@code midge.tls.cert-file} is set. */
        @WithDefault("8084")
        int tlsPort();

        /** The HTTP path of the WebSocket upgrade; clients ask for subprotocol {@code mqtt}. */
        @WithDefault("/mqtt")
        String path();
    }

    /** Who may connect, and what they may do. */
    Auth auth();

    interface Auth {
        /** Whether clients without a user name may connect. Default: yes, unless a password file is set. */
        Optional<Boolean> allowAnonymous();

        /** A password file as {@code mosquitto_passwd} writes it. */
        Optional<String> passwordFile();

        /** An access control file in Mosquitto's {@code acl_file} syntax. */
        Optional<String> aclFile();

        /**
         * Failed logins from one address within {@code failure-window} after which its logins are refused for
         * the rest of the window; 0 turns this off.
         */
        @WithDefault("10")
        int maxFailures();

        @WithDefault("1m")
        Duration failureWindow();
    }

    /**
     * Authentication and ACL of one listener, by name: {@code mqtt}, {@code tls}, {@code ws} or {@code wss}
     * ({@code midge.listener-auth.<listener>.*}). A listener with an entry uses only its entry; the others use
     * {@code midge.auth}. The failed-login throttle and enhanced authentication stay those of {@code midge.auth}.
     */
    Map<String, ListenerAuth> listenerAuth();

    interface ListenerAuth {
        /** Whether clients without a user name may connect. Default: yes, unless this entry sets a password file. */
        Optional<Boolean> allowAnonymous();

        /** A password file as {@code mosquitto_passwd} writes it. */
        Optional<String> passwordFile();

        /** An access control file in Mosquitto's {@code acl_file} syntax. */
        Optional<String> aclFile();
    }

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
    Health health();

    /** Where sessions, queued messages and retained messages are kept across restarts. */
    Persistence persistence();

    /** The HTTP admin API. */
    Admin admin();

    /** How the broker logs. */
    Log log();

    /**
     * A Mosquitto configuration file to run as it is ({@code -c FILE} on the command line sets this); its
     * options are mapped onto these settings, which still override it (docs/mosquitto.md).
     */
    Optional<String> mosquittoConf();

    /** A file the broker writes its process id into at start and removes at shutdown, as Mosquitto's pid_file. */
    Optional<String> pidFile();

    /** Bridges to other MQTT brokers, by name: {@code midge.bridges.<name>.*}. */
    Map<String, Bridge> bridges();

    /**
     * Bridges whose far end is a Reactive Messaging connector (Kafka, MQTT, AMQP, ...), by name:
     * {@code midge.integrations.<name>.*}.
     */
    Map<String, Integration> integrations();

    interface Integration {
        /** The connector's name: {@code smallrye-kafka}, {@code smallrye-mqtt}, {@code smallrye-in-memory}, ... */
        String connector();

        /**
         * What crosses, in the bridges' topic syntax: {@code pattern [out|in|both [qos [local-prefix
         * remote-prefix]]]}.
         */
        List<String> topics();

        /** The connector's channel attributes, as under {@code mp.messaging.<direction>.<channel>.*}. */
        Map<String, String> attributes();

        /** Outgoing messages the connector has not taken yet; beyond it they are dropped and counted. */
        @WithDefault("10000")
        int maxQueued();
    }

    interface Bridge {
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

    interface Log {
        /** One JSON object per line on the console, for log collectors. */
        @WithDefault("false")
        boolean json();

        /**
         * One INFO line as each client connects and disconnects, worded as Mosquitto's log lines, for operators
         * who read the log the way they read Mosquitto's.
         */
        @WithDefault("false")
        boolean connectionMessages();
    }

    interface Mqtt {
        /** Whether the plain (unencrypted) MQTT listener runs; off for a broker that speaks only TLS. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("0.0.0.0")
        String host();

        /** 0 binds a free port (tests). */
        @WithDefault("1883")
        int port();
    }

    interface TopicAlias {
        /** How many aliases a client may set for its own PUBLISHes (the server's Topic Alias Maximum). */
        @WithDefault("10")
        int maximum();

        /** Whether the server assigns aliases to topics it sends a client repeatedly, when the client allows. */
        @WithDefault("true")
        boolean outbound();
    }

    interface Health {
        /** The liveness probe reports DOWN when an event loop has not run its probe task for this long. */
        @WithDefault("5s")
        Duration eventLoopTimeout();
    }

    interface Persistence {
        /** Off: everything lives in memory only and is lost on restart. */
        @WithDefault("true")
        boolean enabled();

        /** The store's directory; a PersistentVolumeClaim mount in Kubernetes. */
        @WithDefault("data")
        String dir();

        /**
         * always: PUBACK/PUBREC/SUBACK only once what they acknowledge is on disk (group commit); interval: on
         * disk within {@code flush-interval}; never: handed to the operating system within {@code
         * flush-interval}, never forced to disk by Midge.
         */
        @WithDefault("always")
        Sync sync();

        /** How often {@code interval} and {@code never} write; also the longest a batch waits under {@code always}. */
        @WithDefault("1s")
        Duration flushInterval();

        /** fail: refuse to start on a corrupt store; quarantine: move it aside and start empty. */
        @WithDefault("fail")
        OnCorruption onCorruption();

        /** How often the store drops expired messages and compacts itself while idle. */
        @WithDefault("5m")
        Duration compactInterval();

        enum Sync { ALWAYS, INTERVAL, NEVER }

        enum OnCorruption { FAIL, QUARANTINE }
    }

    interface Admin {
        /** Whether the admin API's write operations (disconnect, publish, delete retained) are served. */
        @WithDefault("false")
        boolean enabled();

        /** A file whose first line is the bearer token that write operations must present. */
        Optional<String> tokenFile();

        /** A password file as {@code mosquitto_passwd} writes it, for HTTP Basic authentication of writes. */
        Optional<String> passwordFile();
    }

    /** Several brokers acting as one, on an embedded Hazelcast (see docs/cluster.md). */
    Cluster cluster();

    interface Cluster {
        /** Off: this broker is alone, and no cluster engine is started. */
        @WithDefault("false")
        boolean enabled();

        /** Nodes join only a cluster of their own name. */
        @WithDefault("midge")
        String name();

        /** The address the cluster engine binds and tells the other nodes. */
        @WithDefault("127.0.0.1")
        String host();

        @WithDefault("5701")
        int port();

        /** Other nodes as host:port, for a static cluster. */
        Optional<List<String>> members();

        /**
         * A DNS name (a Kubernetes headless Service) whose A records are the nodes, looked up again whenever the
         * engine searches for nodes, so that pods started together still end up in one cluster.
         */
        Optional<String> dnsName();

        /** A node that stops answering is dropped from the cluster after this long. */
        @WithDefault("10s")
        Duration failureTimeout();
    }
}
