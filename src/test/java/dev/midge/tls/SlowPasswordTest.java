package dev.midge.tls;

import static dev.midge.testing.RawMqttClient.PUBLISH;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.security.CryptoWorkers;
import dev.midge.session.SessionRegistry;
import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.Mqtt3Clients;
import dev.midge.testing.Mqtt3Clients.Client;
import dev.midge.testing.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Password hashes run off the event loop: with one loop for every connection, a login whose hash takes seconds
 * leaves the others served meanwhile, and a connection that goes away during its check gets no session.
 */
@QuarkusTest
@TestProfile(SlowPasswordProfile.class)
@Timeout(300)
class SlowPasswordTest extends BrokerTestBase {

    private static final int USER_AND_PASSWORD = 0x80 | 0x40;

    @Inject
    CryptoWorkers workers;

    @Inject
    SessionRegistry sessions;

    private RawMqttClient login(String clientId, boolean clean, String user, String password) throws IOException {
        int flags = USER_AND_PASSWORD | (clean ? RawMqttClient.CLEAN_SESSION : 0);
        return raw().connect("MQTT", 4, flags, 60, clientId, user, password);
    }

    @Test
    void otherClientsOnTheLoopAreServedWhileASlowPasswordIsChecked() throws Exception {
        long before = workers.completed();
        RawMqttClient fast = login("fast-client", true, "fast", "fast-secret");
        assertArrayEquals(new byte[] {0, 0}, fast.connAck());
        fast.subscribe(1, "allowed/fast", 0).subAck(1);
        long checksDone = before + 1;
        await().atMost(Duration.ofSeconds(10)).until(() -> workers.completed() == checksDone);

        RawMqttClient slow = login("slow-client", true, "slow", "slow-secret");
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            fast.ping();
            fast.publish("allowed/fast", "message " + i, 0, 0, false);
            fast.expect(PUBLISH);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 2_000, "round trip " + i + " took " + millis + " ms");
        }
        assertEquals(checksDone, workers.completed(), "the slow check is still running, yet the loop answered");
        awaitCheck(checksDone);
        assertArrayEquals(new byte[] {0, 0}, slow.connAck(), "the slow login succeeds in the end");
    }

    @Test
    void aConnectionClosedDuringItsCheckGetsNoSession() throws Exception {
        long checksDone = workers.completed();
        RawMqttClient gone = login("gone-while-checking", false, "slow", "slow-secret");
        gone.close();
        awaitCheck(checksDone);
        // The answer hops to the one loop; a ping answered after it proves that hop has run.
        RawMqttClient witness = login("witness", true, "fast", "fast-secret");
        assertArrayEquals(new byte[] {0, 0}, witness.connAck());
        witness.ping();
        assertTrue(sessions.find("gone-while-checking").isEmpty(), "a closed connection opened a session");
    }

    @Test
    void aWrongSlowPasswordIsStillRefused() throws Exception {
        long checksDone = workers.completed();
        RawMqttClient wrong = login("wrong-slow", true, "slow", "not-it");
        awaitCheck(checksDone);
        assertArrayEquals(new byte[] {0, 4}, wrong.connAck(), "bad user name or password");
    }

    @Test
    void mosquittoPubOverTlsWithPasswordAndAclDeliversAtQos1() throws Exception {
        long readerCheck = workers.completed() + 1;
        Client reader = mqtt3.connect("tls-reader", fastUser());
        reader.subscribe("allowed/#", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> workers.completed() == readerCheck);
        Process pub = new ProcessBuilder("/usr/bin/mosquitto_pub", "-h", "localhost",
                "-p", String.valueOf(listener.tlsPort()), "--cafile", TestCertificates.DIR.resolve("ca.crt").toString(),
                "-u", "fast", "-P", "fast-secret", "-i", "tls-pub", "-q", "1", "-t", "allowed/tls", "-m", "over TLS")
                .redirectErrorStream(true).start();
        assertTrue(pub.waitFor(20, TimeUnit.SECONDS), "mosquitto_pub finished");
        assertEquals(0, pub.exitValue(), new String(pub.getInputStream().readAllBytes()));
        assertEquals("over TLS", reader.next().payload());
        // The password check is one task; the TLS handshake's delegated tasks are the others.
        assertTrue(workers.completed() >= readerCheck + 2, "handshake work ran on the crypto workers");
    }

    /** The slow hash takes seconds on a quiet machine, and many more on a busy one. */
    private void awaitCheck(long checksBefore) {
        await().atMost(Duration.ofSeconds(100)).until(() -> workers.completed() > checksBefore);
    }

    private static Mqtt3Clients.Options fastUser() {
        return Mqtt3Clients.options().login("fast", "fast-secret");
    }
}
