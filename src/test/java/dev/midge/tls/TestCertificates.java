package dev.midge.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A CA, server and client certificates made with openssl, laid out as Kubernetes mounts a Secret: the files
 * are symlinks into {@code ..data}, itself a symlink to a timestamped directory that an update replaces.
 */
public final class TestCertificates {

    public static final Path DIR = Path.of("target", "tls-test").toAbsolutePath();
    static final Path MOUNT = DIR.resolve("mount");

    private TestCertificates() {
    }

    /**
     * The subject of the {@code subject-client} certificate as Mosquitto's use_subject_as_username names it, with
     * a comma to escape.
     */
    public static final String SUBJECT_USER = "CN=device-43,O=Midge Test\\, Inc.,C=DE";

    /**
     * Makes the CA, client certificates for CN=device-42 ({@code client}) and for {@link #SUBJECT_USER}
     * ({@code subject-client}), and mounts server certificate version 1001.
     */
    public static synchronized void create() {
        // Once per JVM: Quarkus loads this class twice, and a directory left by an earlier run is stale.
        if (System.getProperty("midgetest.certificates") != null) {
            return;
        }
        try {
            deleteRecursively(DIR);
            Files.createDirectories(MOUNT);
            openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                    "-days", "2", "-subj", "/CN=midge-test-ca");
            Files.writeString(DIR.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
            issue("client", "/CN=device-42", 3003, false);
            issue("subject-client", "/C=DE/O=Midge Test, Inc./CN=device-43", 3004, false);
            for (String client : List.of("client", "subject-client")) {
                openssl("pkcs12", "-export", "-in", client + ".crt", "-inkey", client + ".key", "-out",
                        client + ".p12", "-passout", "pass:changeit");
            }
            mountServerCertificate(1001, false);
            for (String name : List.of("tls.crt", "tls.key", "ca.crt")) {
                Files.createSymbolicLink(MOUNT.resolve(name), Path.of("..data", name));
            }
            System.setProperty("midgetest.certificates", DIR.toString());
        } catch (Exception e) {
            throw new IllegalStateException("cannot create test certificates", e);
        }
    }

    /**
     * Issues a server certificate with the serial and swaps it in as Kubernetes does: a new directory, then the
     * {@code ..data} symlink replaced atomically. The key is PKCS#1 when asked, PKCS#8 otherwise.
     */
    static void mountServerCertificate(int serial, boolean pkcs1Key) throws Exception {
        String name = "server" + serial;
        issue(name, "/CN=localhost", serial, true);
        if (pkcs1Key) {
            openssl("rsa", "-in", name + ".key", "-traditional", "-out", name + ".key");
        }
        Path version = Files.createDirectories(MOUNT.resolve("..v" + serial));
        Files.copy(DIR.resolve(name + ".crt"), version.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(DIR.resolve(name + ".key"), version.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(DIR.resolve("ca.crt"), version.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
        swapDataLink(version);
    }

    /** Mounts files that are not a certificate at all. */
    static void mountGarbage() throws Exception {
        Path version = Files.createDirectories(MOUNT.resolve("..garbage"));
        for (String name : List.of("tls.crt", "tls.key", "ca.crt")) {
            Files.writeString(version.resolve(name), "not PEM\n");
        }
        swapDataLink(version);
    }

    private static void deleteRecursively(Path dir) throws Exception {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void swapDataLink(Path version) throws Exception {
        Path tmp = MOUNT.resolve("..data_tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, version.getFileName());
        Files.move(tmp, MOUNT.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static void issue(String name, String subject, int serial, boolean san) throws Exception {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", subject);
        List<String> sign = new ArrayList<>(List.of("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt",
                "-CAkey", "ca.key", "-set_serial", String.valueOf(serial), "-days", "2", "-out", name + ".crt"));
        if (san) {
            sign.addAll(List.of("-extfile", "san.ext"));
        }
        openssl(sign.toArray(new String[0]));
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl " + args[0]);
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }

    /** A client context trusting the test CA, presenting the device-42 certificate when withCertificate. */
    static SSLContext clientContext(boolean withCertificate) throws Exception {
        return clientContext(withCertificate ? "client" : null);
    }

    /** Issues a server certificate for localhost with the serial, as {@code server<serial>.crt} and {@code .key}. */
    public static void issueServerCertificate(int serial) throws Exception {
        issue("server" + serial, "/CN=localhost", serial, true);
    }

    /** A client context trusting the test CA, presenting the named client certificate, or none for null. */
    static SSLContext clientContext(String client) throws Exception {
        KeyManagerFactory kmf = keyManagers(client);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), trustManagers().getTrustManagers(), null);
        return context;
    }

    /** The MQTT client's TLS settings: trusting the test CA, presenting the named client certificate or none. */
    static MqttClientSslConfig clientSsl(String client) throws Exception {
        return MqttClientSslConfig.builder().trustManagerFactory(trustManagers()).keyManagerFactory(keyManagers(client))
                .build();
    }

    private static TrustManagerFactory trustManagers() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(DIR.resolve("ca.crt"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf;
    }

    private static KeyManagerFactory keyManagers(String client) throws Exception {
        KeyManagerFactory kmf = null;
        if (client != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(DIR.resolve(client + ".p12"))) {
                keys.load(in, "changeit".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "changeit".toCharArray());
        }
        return kmf;
    }

    static X509Certificate serverCertificate(javax.net.ssl.SSLSocket socket) throws Exception {
        socket.startHandshake();
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
}
