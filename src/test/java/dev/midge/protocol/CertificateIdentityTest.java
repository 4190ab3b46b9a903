package dev.midge.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.config.ServerCertificateConfig.IdentitySource;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user name taken from a client certificate: its CN, its first alternative name, or its subject. */
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

    @Test
    void theSubjectAsOpensslWritesItInRfc2253Form() throws Exception {
        X509Certificate cert = certificate("/C=DE/ST=Bayern/L=Munich/O=Plant 4, Inc./OU=line 2+UID=7"
                + "/CN=device-42/emailAddress=d42@plant4.example/street=Main St 1/serialNumber=A-7", null);
        String subject = CertificateIdentity.of(cert, IdentitySource.SUBJECT);
        assertEquals(opensslSubject(), subject, "the user name Mosquitto's use_subject_as_username makes");
        assertTrue(subject.startsWith("serialNumber=A-7,street=Main St 1,emailAddress=d42@plant4.example,"
                + "CN=device-42,"), subject);
    }

    @Test
    void nonAsciiCharactersAreEscapedAsOpensslEscapesThem() throws Exception {
        // A config file in UTF-8, as a command line argument would depend on the locale.
        Files.writeString(dir.resolve("req.cnf"), "[req]\ndistinguished_name=dn\nprompt=no\nutf8=yes\n"
                + "string_mask=utf8only\n[dn]\nL=M\u00fcnchen\nCN=d\u00e9vice \u20ac \ud83d\ude00\n",
                StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1",
                "-config", "req.cnf").directory(dir.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(dir.resolve("cert.pem"))) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertEquals(opensslSubject(), CertificateIdentity.of(cert, IdentitySource.SUBJECT));
        assertEquals("CN=d\\C3\\A9vice \\E2\\82\\AC \\F0\\9F\\98\\80,L=M\\C3\\BCnchen",
                CertificateIdentity.of(cert, IdentitySource.SUBJECT));
    }

    /** What {@code X509_NAME_print_ex} with {@code XN_FLAG_RFC2253}, as Mosquitto calls it, makes of cert.pem. */
    private String opensslSubject() throws Exception {
        Process p = new ProcessBuilder("openssl", "x509", "-in", "cert.pem", "-noout", "-subject", "-nameopt",
                "RFC2253").directory(dir.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), out);
        return out.substring("subject=".length());
    }
}
