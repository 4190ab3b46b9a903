package dev.midge.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The HTTP admin API ({@code midge.admin.*}). */
public interface AdminConfig {
    /** Whether the admin API's write operations (disconnect, publish, delete retained) are served. */
    @WithDefault("false")
    boolean enabled();

    /** A file whose first line is the bearer token that write operations must present. */
    Optional<String> tokenFile();

    /** A password file as {@code mosquitto_passwd} writes it, for HTTP Basic authentication of writes. */
    Optional<String> passwordFile();

    /**
     * Failed admin credentials (the dashboard's login form, HTTP Basic or the bearer token) from one address
     * within {@code failure-window} after which that address is answered 429 unchecked for the rest of the
     * window; 0 turns this off.
     */
    @WithDefault("5")
    int maxFailures();

    @WithDefault("1m")
    Duration failureWindow();
}
