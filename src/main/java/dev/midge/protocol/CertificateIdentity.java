package dev.midge.protocol;

import dev.midge.config.TlsConfig.IdentitySource;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The user name a client certificate stands for, as Mosquitto's use_identity_as_username: its subject's CN,
 * or with {@code midge.tls.identity-source=san} its first subject alternative name that is an e-mail
 * address, a DNS name or a URI, in the certificate's order.
 */
final class CertificateIdentity {

    private static final int SAN_EMAIL = 1;
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;

    private CertificateIdentity() {
    }

    /** The identity of the verified client certificate, or null without TLS, a certificate or that name. */
    static String of(SslHandler tls, IdentitySource source) {
        if (tls == null) {
            return null;
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate cert ? of(cert, source) : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    static String of(X509Certificate cert, IdentitySource source) {
        return source == IdentitySource.SAN ? alternativeName(cert) : commonName(cert);
    }

    private static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }

    private static String alternativeName(X509Certificate cert) {
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names == null) {
                return null;
            }
            for (List<?> name : names) {
                int type = (Integer) name.get(0);
                if (type == SAN_EMAIL || type == SAN_DNS || type == SAN_URI) {
                    return name.get(1).toString();
                }
            }
            return null;
        } catch (CertificateParsingException e) {
            return null;
        }
    }
}
