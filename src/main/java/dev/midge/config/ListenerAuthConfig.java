package dev.midge.config;

import java.util.Optional;

/** Authentication and ACL of one listener ({@code midge.listener-auth.<listener>.*}). */
public interface ListenerAuthConfig {
    /** Whether clients without a user name may connect. Default: yes, unless this entry sets a password file. */
    Optional<Boolean> allowAnonymous();

    /** A password file as {@code mosquitto_passwd} writes it. */
    Optional<String> passwordFile();

    /** An access control file in Mosquitto's {@code acl_file} syntax. */
    Optional<String> aclFile();
}
