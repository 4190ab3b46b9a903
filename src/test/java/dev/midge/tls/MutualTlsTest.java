package dev.midge.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.security.CryptoWorkers;
import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.Mqtt3Clients;
import dev.midge.testing.Mqtt3Clients.Client;
import dev.midge.testing.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The TLS listener: mutual TLS with certificate identity, reloading certificates, wrong protocols refused. */
@QuarkusTest
@TestProfile(MutualTlsProfile.class)
@Timeout(60)
class MutualTlsTest extends BrokerTestBase {

    @Inject
    CryptoWorkers workers;

    private Client tlsClient(String id) throws Exception {
        return mqtt3.connect(id, Mqtt3Clients.options().port(listener.tlsPort())
                .tls(TestCertificates.clientSsl("client")));
    }

    @Test
    void mosquittoClientsUseTheTlsListenerWithTheirCertificate() throws Exception {
        String port = String.valueOf(listener.tlsPort());
        String dir = TestCertificates.DIR.toString();
        ProcessBuilder sub = new ProcessBuilder("stdbuf", "-oL", "/usr/bin/mosquitto_sub", "-h", "localhost",
                "-p", port, "--cafile", dir + "/ca.crt", "--cert", dir + "/client.crt",
                "--key", dir + "/client.key", "-t", "devices/42/state", "-C", "1", "-W", "20")
                .redirectErrorStream(true);
        Process subscriber = sub.start();
        try {
            // mosquitto_sub prints nothing when subscribed, so publish until the message gets through.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() -> {
                Process pub = new ProcessBuilder("/usr/bin/mosquitto_pub", "-h", "localhost", "-p", port,
                        "--cafile", dir + "/ca.crt", "--cert", dir + "/client.crt", "--key", dir + "/client.key",
                        "-t", "devices/42/state", "-m", "over mutual TLS").redirectErrorStream(true).start();
                assertTrue(pub.waitFor(10, TimeUnit.SECONDS));
                assertEquals(0, pub.exitValue(), new String(pub.getInputStream().readAllBytes()));
                return subscriber.waitFor(200, TimeUnit.MILLISECONDS);
            });
            assertEquals("over mutual TLS", new String(subscriber.getInputStream().readAllBytes()).strip());
        } finally {
            subscriber.destroyForcibly();
        }
    }

    @Test
    void theCertificateNameIsTheUserNameTheAclSees() throws Exception {
        Client device = tlsClient("identity-device");
        device.subscribe("devices/#", 1);
        device.publish("devices/42/temp", "21.5", 1, false);
        assertEquals("21.5", device.next().payload());
        Client plain = mqtt3.connect("identity-plain");
        plain.subscribe("plain/#", 1);
        plain.publish("devices/42/temp", "anonymous may not", 1, false);
        plain.publish("plain/marker", "marker", 1, false);
        assertEquals("marker", plain.next().payload());
        device.publish("devices/42/temp", "22.0", 1, false);
        assertEquals("22.0", device.next().payload(), "the anonymous publish was dropped");
    }

    /** No password here (the certificate names the user), so what the workers ran was the handshake's. */
    @Test
    void theHandshakesKeyWorkRunsOnTheCryptoWorkersNotTheEventLoop() throws Exception {
        long before = workers.completed();
        assertEquals(BigInteger.valueOf(1001), newSerial());
        await().atMost(Duration.ofSeconds(5)).until(() -> workers.completed() > before);
    }

    @Test
    void aClientWithoutACertificateIsRefusedWhenOneIsRequired() throws Exception {
        long failures = stats.tlsHandshakeFailures();
        try (SSLSocket socket = (SSLSocket) TestCertificates.clientContext(false).getSocketFactory()
                .createSocket("127.0.0.1", listener.tlsPort())) {
            socket.setSoTimeout(5_000);
            assertThrows(IOException.class, () -> {
                socket.startHandshake();
                socket.getOutputStream().write(new byte[] {(byte) 0xC0, 0});
                socket.getOutputStream().flush();
                if (socket.getInputStream().read() < 0) {
                    throw new IOException("closed");
                }
            });
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> stats.tlsHandshakeFailures() > failures);
    }

    @Test
    void plainMqttOnTheTlsPortAndTlsOnThePlainPortAreClosed() throws Exception {
        Client healthy = mqtt3.connect("tls-healthy");
        healthy.subscribe("plain/healthy", 1);
        try (RawMqttClient plainOnTls = new RawMqttClient(listener.tlsPort())) {
            plainOnTls.connect("plain-on-tls", true, 60);
            assertTrue(plainOnTls.closedWithin(5_000));
        }
        try (Socket raw = new Socket("127.0.0.1", listener.port());
                SSLSocket tlsOnPlain = (SSLSocket) TestCertificates.clientContext(true).getSocketFactory()
                        .createSocket(raw, "127.0.0.1", listener.port(), true)) {
            tlsOnPlain.setSoTimeout(5_000);
            assertThrows(IOException.class, tlsOnPlain::startHandshake);
        }
        mqtt3.connect("tls-publisher").publish("plain/healthy", "still served", 1, false);
        assertEquals("still served", healthy.next().payload());
    }

    /**
     * A renewed certificate is used by new connections without a restart, open connections keep working, and
     * files that are not a certificate are rejected while the last good one stays in use.
     */
    @Test
    void certificatesReloadWhenTheSecretIsUpdated() throws Exception {
        Client before = tlsClient("reload-before");
        before.subscribe("devices/reload", 1);
        TestCertificates.mountServerCertificate(2002, true);
        await().atMost(Duration.ofSeconds(10)).until(() -> newSerial().equals(BigInteger.valueOf(2002)));
        before.publish("devices/reload", "old connection still up", 1, false);
        assertEquals("old connection still up", before.next().payload());

        TestCertificates.mountGarbage();
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> newSerial().equals(BigInteger.valueOf(2002)));
        TestCertificates.mountServerCertificate(1001, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> newSerial().equals(BigInteger.valueOf(1001)));
    }

    /** The serial number of the certificate a new connection is shown. */
    private BigInteger newSerial() throws Exception {
        try (SSLSocket socket = (SSLSocket) TestCertificates.clientContext(true).getSocketFactory()
                .createSocket("127.0.0.1", listener.tlsPort())) {
            return TestCertificates.serverCertificate(socket).getSerialNumber();
        }
    }
}
