package dev.midge.security;

import static dev.midge.testing.RawMqttClient.CONNACK;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.Mqtt3Clients;
import dev.midge.testing.Mqtt3Clients.Client;
import dev.midge.testing.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Password file and ACL enforced on real connections, and both reloaded when they change. */
@QuarkusTest
@TestProfile(SecurityProfile.class)
@Timeout(60)
class SecurityProtocolTest extends BrokerTestBase {

    private Client login(String clientId, String user, String password) {
        return mqtt3.connect(clientId, Mqtt3Clients.options().login(user, password));
    }

    @Test
    void anonymousClientsAreRefusedOnceAPasswordFileIsSet() throws Exception {
        try (RawMqttClient anonymous = new RawMqttClient(listener.port())) {
            anonymous.connect("anon", true, 60);
            assertArrayEquals(new byte[] {0, 5}, anonymous.expect(CONNACK).body(), "not authorized");
            assertTrue(anonymous.closedWithin(5_000));
        }
    }

    /** Runs a Mosquitto command line client to its end and returns its exit status and output. */
    private static String[] run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), String.join(" ", command));
        return new String[] {String.valueOf(p.exitValue()), new String(p.getInputStream().readAllBytes()).strip()};
    }

    @Test
    void mosquittoClientsLogInWithUserAndPassword() throws Exception {
        String port = String.valueOf(listener.port());
        Client alice = login("mosquitto-reader", "alice", "secret1");
        alice.subscribe("sensors/#", 1);
        String[] ok = run("/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-u", "alice", "-P", "secret1",
                "-q", "1", "-t", "sensors/door", "-m", "from mosquitto_pub");
        assertEquals("0", ok[0], ok[1]);
        assertEquals("from mosquitto_pub", alice.next().payload());
        String[] refused = run("/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-u", "alice", "-P",
                "wrong", "-t", "sensors/door", "-m", "never");
        assertTrue(!refused[0].equals("0") && refused[1].contains("bad user name or password"),
                "exit " + refused[0] + ": " + refused[1]);
    }

    @Test
    void aWrongPasswordIsRefusedForMqtt3AndMqtt5() {
        long failures = stats.authFailures();
        Mqtt3ConnAckException v3 = assertThrows(Mqtt3ConnAckException.class,
                () -> login("wrong-v3", "alice", "nope"));
        assertEquals(4, v3.getMqttMessage().getReturnCode().getCode(), "bad user name or password");
        Mqtt5ConnAckException v5 = assertThrows(Mqtt5ConnAckException.class, () -> Mqtt5Client.builder()
                .identifier("wrong-v5").serverHost("127.0.0.1").serverPort(listener.port()).buildBlocking()
                .connectWith().simpleAuth().username("alice").password("nope".getBytes()).applySimpleAuth()
                .send());
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, v5.getMqttMessage().getReasonCode());
        assertEquals(failures + 2, stats.authFailures(), "both refusals counted");
    }

    @Test
    void theAclFiltersWhatIsPublishedAndReceived() throws Exception {
        Client bob = login("acl-bob", "bob", "secret2");
        bob.subscribe("sensors/#", 1);
        Client alice = login("acl-alice", "alice", "secret1");
        alice.publish("sensors/a/humidity", "not for bob", 1, false);
        alice.publish("sensors/a/temp", "for bob", 1, false);
        assertEquals("for bob", bob.next().payload(), "bob reads only temperatures");
        Client aliceReader = login("acl-alice-reader", "alice", "secret1");
        aliceReader.subscribe("sensors/#", 1);
        bob.publish("sensors/b/temp", "bob may not write", 1, false);
        alice.publish("sensors/b/temp", "marker", 1, false);
        assertEquals("marker", aliceReader.next().payload(), "bob's unauthorized publish was dropped");
        Client own = login("acl-bob-own", "bob", "secret2");
        own.subscribe("clients/bob/#", 1);
        own.publish("clients/bob/state", "pattern %u", 1, false);
        assertEquals("pattern %u", own.next().payload());
    }

    @Test
    void aSubscriptionNothingReadableCouldMatchIsRefused() throws Exception {
        try (RawMqttClient bob = new RawMqttClient(listener.port())) {
            bob.sendPacket(0x10, new RawMqttClient.Body().string("MQTT").bytes(4, 0xC2, 0, 60).string("acl-sub")
                    .string("bob").string("secret2").toBytes());
            assertArrayEquals(new byte[] {0, 0}, bob.expect(CONNACK).body());
            bob.sendPacket(0x82, new RawMqttClient.Body().bytes(0, 3).string("sensors/+/temp").bytes(1)
                    .string("alice/#").bytes(1).toBytes());
            assertArrayEquals(new byte[] {0, 3, 1, (byte) 0x80}, bob.expect(RawMqttClient.SUBACK).body());
        }
    }

    /** alice's rules: deny sensors/private/temp, then readwrite sensors/#; the first match decides. */
    @Test
    void aSubscriptionToExactlyADeniedTopicIsRefusedOnMqtt3AndMqtt5() throws Exception {
        try (RawMqttClient v3 = new RawMqttClient(listener.port())) {
            v3.sendPacket(0x10, new RawMqttClient.Body().string("MQTT").bytes(4, 0xC2, 0, 60).string("acl-deny-v3")
                    .string("alice").string("secret1").toBytes());
            assertArrayEquals(new byte[] {0, 0}, v3.expect(CONNACK).body());
            v3.sendPacket(0x82, new RawMqttClient.Body().bytes(0, 4).string("sensors/private/temp").bytes(1)
                    .string("sensors/+/temp").bytes(1).toBytes());
            assertArrayEquals(new byte[] {0, 4, (byte) 0x80, 1}, v3.expect(RawMqttClient.SUBACK).body());
        }
        try (RawMqttClient v5 = new RawMqttClient(listener.port())) {
            v5.sendPacket(0x10, new RawMqttClient.Body().string("MQTT").bytes(5, 0xC2, 0, 60, 0)
                    .string("acl-deny-v5").string("alice").string("secret1").toBytes());
            RawMqttClient.Packet connAck = v5.expect(CONNACK);
            assertEquals(0, connAck.body()[1], "CONNACK accepts");
            v5.sendPacket(0x82, new RawMqttClient.Body().bytes(0, 5, 0).string("sensors/private/temp").bytes(1)
                    .string("sensors/+/temp").bytes(1).toBytes());
            assertArrayEquals(new byte[] {0, 5, 0, (byte) 0x87, 1}, v5.expect(RawMqttClient.SUBACK).body());
        }
    }

    @Test
    void aWillTheAclForbidsIsNotPublished() throws Exception {
        Client alice = login("will-watch", "alice", "secret1");
        alice.subscribe("will/#", 0);
        try (RawMqttClient bob = new RawMqttClient(listener.port())) {
            bob.sendPacket(0x10, new RawMqttClient.Body().string("MQTT").bytes(4, 0xC6, 0, 60).string("will-bob")
                    .string("will/other").string("forbidden").string("bob").string("secret2").toBytes());
            assertArrayEquals(new byte[] {0, 0}, bob.expect(CONNACK).body());
        }
        try (RawMqttClient bob = new RawMqttClient(listener.port())) {
            bob.sendPacket(0x10, new RawMqttClient.Body().string("MQTT").bytes(4, 0xC6, 0, 60).string("will-bob2")
                    .string("will/bob").string("allowed").string("bob").string("secret2").toBytes());
            assertArrayEquals(new byte[] {0, 0}, bob.expect(CONNACK).body());
        }
        assertEquals("allowed", alice.next().payload());
    }

    @Test
    void passwordFileChangesApplyWithoutARestartAndABadFileIsRejected() throws Exception {
        byte[] original = Files.readAllBytes(SecurityProfile.PASSWORDS);
        try {
            var next = SecurityProfile.DIR.resolve("passwords.next");
            Files.write(next, original);
            PasswordFileTest.mosquittoPasswd(next, "carol", "secret3");
            // Replace the file whole, as Kubernetes does with a Secret.
            Files.move(next, SecurityProfile.PASSWORDS, StandardCopyOption.ATOMIC_MOVE);
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> login("carol-" + System.nanoTime(), "carol", "secret3").isConnected());

            Files.writeString(next, "this is not a password file\n");
            Files.move(next, SecurityProfile.PASSWORDS, StandardCopyOption.ATOMIC_MOVE);
            // Without a reload signal to wait for, give the watcher several of its 200 ms rounds.
            await().pollDelay(Duration.ofMillis(1_000)).atMost(Duration.ofSeconds(5))
                    .until(() -> login("carol-after-" + System.nanoTime(), "carol", "secret3").isConnected());
        } finally {
            Files.write(SecurityProfile.PASSWORDS, original);
        }
    }
}
