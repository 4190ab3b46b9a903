package dev.midge.config;

import io.smallrye.config.WithDefault;
import java.util.Optional;

/** A TLS listener's certificate and what it asks of clients: {@code midge.tls.*} and each TLS extra listener. */
public interface ServerCertificateConfig {

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

    /**
     * Which name of the certificate: the subject's CN, the first e-mail, DNS or URI alternative name, or the
     * whole subject as an RFC 2253 string (Mosquitto's use_subject_as_username).
     */
    @WithDefault("cn")
    IdentitySource identitySource();

    /** The identity clients of this listener are known by, or null when they name themselves in CONNECT. */
    default IdentitySource certificateIdentity() {
        return certFile().isPresent() && useIdentityAsUsername() ? identitySource() : null;
    }

    enum ClientAuth { NONE, REQUEST, REQUIRED }

    enum IdentitySource { CN, SAN, SUBJECT }
}
