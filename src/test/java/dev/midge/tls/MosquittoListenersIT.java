package dev.midge.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.BrokerProcess;
import dev.midge.testing.Mqtt3Clients;
import dev.midge.testing.Mqtt3Clients.Client;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged broker run with a mosquitto.conf of two plain and two TLS listeners, each TLS one with its own
 * certificate, the second requiring client certificates and taking their whole subject as the user name
 * ({@code use_subject_as_username}), which the ACL is keyed by; SIGHUP reloads that listener's certificate.
 */
@Timeout(180)
class MosquittoListenersIT {

    @TempDir
    Path dir;

    @Test
    void twoPlainAndTwoTlsListenersWithTheirOwnCertificatesAndTheSubjectAsUserName() throws Exception {
        TestCertificates.create();
        TestCertificates.issueServerCertificate(2002);
        Path certs = TestCertificates.DIR;
        Path secondCert = Files.copy(certs.resolve("server2002.crt"), dir.resolve("second.crt"));
        Path secondKey = Files.copy(certs.resolve("server2002.key"), dir.resolve("second.key"));
        Path acl = Files.writeString(dir.resolve("acl"), "topic readwrite plain/#\nuser "
                + TestCertificates.SUBJECT_USER + "\ntopic readwrite devices/#\n");
        int plain2 = freePort();
        int tls1 = freePort();
        int tls2 = freePort();
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), "allow_anonymous true\nacl_file " + acl
                + "\n\nlistener 1883 127.0.0.1\n\nlistener " + plain2 + " 127.0.0.1\n\nlistener " + tls1
                + " 127.0.0.1\ncertfile " + certs.resolve("server1001.crt") + "\nkeyfile "
                + certs.resolve("server1001.key") + "\n\nlistener " + tls2 + " 127.0.0.1\ncertfile " + secondCert
                + "\nkeyfile " + secondKey + "\ncafile " + certs.resolve("ca.crt")
                + "\nrequire_certificate true\nuse_subject_as_username true\n");

        // BrokerProcess puts the file's first plain listener on a free port instead of 1883.
        try (BrokerProcess broker = new BrokerProcess("midge.mosquitto-conf=" + conf, "midge.reload-interval=1h");
                Mqtt3Clients plainOne = new Mqtt3Clients(broker.port());
                Mqtt3Clients plainTwo = new Mqtt3Clients(plain2)) {
            assertTrue(broker.awaitLine("listener mqtt-" + plain2 + " bound on 127.0.0.1:" + plain2, 10,
                    TimeUnit.SECONDS) != null, broker.output().toString());
            Client watcher = plainOne.connect("watcher");
            watcher.subscribe("plain/#", 1);
            plainTwo.connect("second-port").publish("plain/hello", "through the second port", 1, false);
            assertEquals("through the second port", watcher.next().payload());

            assertEquals(BigInteger.valueOf(1001), serverSerial(tls1));
            assertEquals(BigInteger.valueOf(2002), serverSerial(tls2));
            Client anonymousTls = plainOne.connect("anonymous-tls", tls(tls1, null));
            anonymousTls.publish("plain/tls", "over the first TLS port", 1, false);
            assertEquals("over the first TLS port", watcher.next().payload());

            Client device = plainOne.connect("subject-device", tls(tls2, "subject-client"));
            device.subscribe("devices/#", 1);
            device.publish("devices/43/temp", "21.5", 1, false);
            assertEquals("21.5", device.next().payload(), "the ACL grants devices/# to the subject");
            watcher.publish("devices/43/temp", "anonymous may not", 1, false);
            device.publish("devices/43/temp", "22.0", 1, false);
            assertEquals("22.0", device.next().payload(), "the anonymous publish was dropped");

            Files.copy(certs.resolve("server1001.crt"), secondCert, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(certs.resolve("server1001.key"), secondKey, StandardCopyOption.REPLACE_EXISTING);
            assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(broker.pid())).start().waitFor());
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> serverSerial(tls2).equals(BigInteger.valueOf(1001)));
            assertEquals(BigInteger.valueOf(1001), serverSerial(tls1), "the first TLS listener keeps its own");
        }
    }

    private static Mqtt3Clients.Options tls(int port, String clientCertificate) throws Exception {
        return Mqtt3Clients.options().port(port).tls(TestCertificates.clientSsl(clientCertificate));
    }

    private static BigInteger serverSerial(int port) throws Exception {
        SSLContext context = TestCertificates.clientContext("subject-client");
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            return TestCertificates.serverCertificate(socket).getSerialNumber();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
