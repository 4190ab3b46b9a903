package dev.midge.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.config.TlsConfig.IdentitySource;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user name taken from a client certificate: its CN, or its first alternative name. */
class CertificateIdentityTest {

    @TempDir
    Path dir;

    /** A self-signed certificate made with openssl, with the subject and the extra extension given. */
    private X509Certificate certificate(String subject, String extension) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                "-days", "1", "-subj", subject));
        if (extension != null) {
            command.addAll(List.of("-addext", extension));
        }
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        try (InputStream in = Files.newInputStream(dir.resolve("cert.pem"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void theCommonNameByDefault() throws Exception {
        X509Certificate cert = certificate("/O=Plant 4/CN=device-42", "subjectAltName=DNS:device-42.plant4");
        assertEquals("device-42", CertificateIdentity.of(cert, IdentitySource.CN));
    }

    @Test
    void theFirstEmailDnsOrUriAlternativeNameWhenAsked() throws Exception {
        X509Certificate cert = certificate("/CN=ignored",
                "subjectAltName=IP:10.0.0.7,URI:spiffe://plant4/device-42,DNS:device-42.plant4");
        assertEquals("spiffe://plant4/device-42", CertificateIdentity.of(cert, IdentitySource.SAN),
                "IP addresses are skipped; the order is the certificate's");
    }

    @Test
    void noIdentityWithoutTheName() throws Exception {
        X509Certificate cert = certificate("/O=Plant 4", null);
        assertNull(CertificateIdentity.of(cert, IdentitySource.CN));
        assertNull(CertificateIdentity.of(cert, IdentitySource.SAN));
    }
}
