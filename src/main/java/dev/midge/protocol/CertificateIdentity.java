package dev.midge.protocol;

import dev.midge.config.ServerCertificateConfig.IdentitySource;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The user name a client certificate stands for, as Mosquitto's use_identity_as_username: its subject's CN,
 * or with {@code midge.tls.identity-source=san} its first subject alternative name that is an e-mail
 * address, a DNS name or a URI, in the certificate's order; or with {@code subject} the whole subject as
 * Mosquitto's use_subject_as_username writes it: RFC 2253 (last attribute first, commas without spaces,
 * RFC 2253 escapes) with OpenSSL's short attribute names, such as {@code CN=device-42,O=Plant 4,C=DE}.
 */
final class CertificateIdentity {

    private static final int SAN_EMAIL = 1;
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;
    /** OpenSSL's short names for attributes Java's RFC 2253 form would write as a dotted OID and hex value. */
    private static final Map<String, String> OPENSSL_NAMES = Map.ofEntries(
            Map.entry("1.2.840.113549.1.9.1", "emailAddress"), Map.entry("2.5.4.5", "serialNumber"),
            Map.entry("2.5.4.4", "SN"), Map.entry("2.5.4.42", "GN"), Map.entry("2.5.4.12", "title"),
            Map.entry("2.5.4.43", "initials"), Map.entry("2.5.4.44", "generationQualifier"),
            Map.entry("2.5.4.46", "dnQualifier"), Map.entry("2.5.4.65", "pseudonym"),
            Map.entry("2.5.4.15", "businessCategory"), Map.entry("2.5.4.17", "postalCode"),
            Map.entry("2.5.4.9", "street"), Map.entry("2.5.4.97", "organizationIdentifier"),
            Map.entry("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC"));

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
        return switch (source) {
            case CN -> commonName(cert);
            case SAN -> alternativeName(cert);
            case SUBJECT -> subject(cert);
        };
    }

    /**
     * Java writes the RDNs last first, as OpenSSL does, but the attributes of one multi-valued RDN in the
     * certificate's order, where OpenSSL reverses those too: so they are turned round here. Non-ASCII
     * characters are escaped as OpenSSL escapes them.
     */
    private static String subject(X509Certificate cert) {
        String java = cert.getSubjectX500Principal().getName(X500Principal.RFC2253, OPENSSL_NAMES);
        if (java.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder(java.length());
        List<String> attributes = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= java.length(); i++) {
            char c = i < java.length() ? java.charAt(i) : ',';
            if (c == '\\') {
                i++; // an escaped character, or the first of two hex digits: never a separator
            } else if (c == '+' || c == ',') {
                attributes.add(java.substring(start, i));
                start = i + 1;
                if (c == ',') {
                    Collections.reverse(attributes);
                    out.append(out.isEmpty() ? "" : ",").append(String.join("+", attributes));
                    attributes.clear();
                }
            }
        }
        return escapeNonAscii(out.toString());
    }

    /** OpenSSL writes each byte of a non-ASCII character's UTF-8 form as a backslash and two hex digits. */
    private static String escapeNonAscii(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x80) {
                out.append(c);
                continue;
            }
            int end = Character.isHighSurrogate(c) && i + 1 < name.length() ? i + 2 : i + 1;
            for (byte b : name.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                out.append('\\').append(String.format("%02X", b & 0xFF));
            }
            i = end - 1;
        }
        return out.toString();
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
