package dev.midge.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Who may connect, and what they may do ({@code midge.auth.*}). */
public interface AuthConfig {
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
