package dev.midge.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Overload protection, {@code midge.limits.*} (see docs/limits.md): every limit is off until set. A rate of 0 is
 * no limit, so that a rule can exempt some clients from a broker-wide rate.
 */
public interface LimitsConfig {

    /** PUBLISH packets per second one client may send. */
    OptionalDouble publishRate();

    /** PUBLISH packets a client may send at once after a quiet spell; {@code publish-rate} (at least 1) if unset. */
    OptionalDouble publishBurst();

    /** Payload bytes per second one client may publish. */
    OptionalDouble publishBytesRate();

    /** Payload bytes a client may publish at once; {@code publish-bytes-rate} if unset. */
    OptionalDouble publishBytesBurst();

    /** What happens to a PUBLISH beyond a client's rate. */
    @WithDefault("throttle")
    OnExcess onExcess();

    /**
     * Other limits for some clients, by user name or client id prefix ({@code midge.limits.rules[0].*}); the
     * first rule that matches a client applies, what it leaves unset comes from the settings above.
     */
    Optional<List<Rule>> rules();

    /** Client ids that connect again and again are banned for a while. */
    Flapping flapping();

    /** New TCP connections per second each listener accepts; the excess is closed at once. */
    OptionalDouble connectionRate();

    /** Connections a listener accepts at once; {@code connection-rate} (at least 1) if unset. */
    OptionalDouble connectionBurst();

    /** Retained messages one client may own (it set them last); unset: no limit. */
    OptionalInt maxRetainedPerClient();

    /**
     * Bytes of messages all sessions may hold, queued and in flight, before publishers stop being read (a size:
     * {@code 256M}); unset: a share of the maximum heap ({@link MemoryMarks}); {@code 0}: no watermark.
     */
    Optional<String> memoryHigh();

    /** Publishers are read again once sessions hold no more than this; unset: a share of {@code memory-high}. */
    Optional<String> memoryLow();

    /**
     * A properties file of {@code midge.limits.*} settings, read at start-up and again on SIGHUP
     * ({@link LimitsFile}).
     */
    Optional<String> file();

    enum OnExcess {
        /** The connection stops reading its socket until the client is within its rate again. */
        THROTTLE,
        /** The message is not routed: MQTT 5 hears 0x96, MQTT 3 gets its acknowledgement and loses it. */
        REJECT,
        /** The connection is closed (MQTT 5: DISCONNECT 0x96). */
        DISCONNECT
    }

    interface Rule {
        /** The rule applies to clients with this user name. */
        Optional<String> username();

        /** The rule applies to client ids starting with this; with {@code username} too, both must match. */
        Optional<String> clientIdPrefix();

        OptionalDouble publishRate();

        OptionalDouble publishBurst();

        OptionalDouble publishBytesRate();

        OptionalDouble publishBytesBurst();

        Optional<OnExcess> onExcess();
    }

    interface Flapping {
        @WithDefault("false")
        boolean enabled();

        /** Connections of one client id within {@code window} beyond which it is banned. */
        @WithDefault("15")
        int maxCount();

        @WithDefault("1m")
        Duration window();

        /** How long a flapping client id is refused. */
        @WithDefault("5m")
        Duration ban();

        /** Client ids tracked at most; the one seen longest ago is forgotten first. */
        @WithDefault("100000")
        int maxTracked();
    }
}
