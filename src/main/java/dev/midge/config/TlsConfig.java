package dev.midge.config;

import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The TLS listener ({@code midge.tls.*}). */
public interface TlsConfig {
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
