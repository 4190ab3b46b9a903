package dev.midge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import dev.midge.management.OperationsEnabledProfile;
import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.Mqtt3Clients;
import dev.midge.testing.Mqtt3Clients.Client;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-listener auth settings: the plain listener has none of its own and {@code midge.auth} sets nothing, so
 * anyone may connect there and do anything; the WebSocket listener has a password file and an ACL of its own.
 */
@QuarkusTest
@TestProfile(OperationsEnabledProfile.class)
@Timeout(60)
public class ListenerAuthTest extends BrokerTestBase {

    /**
     * The WebSocket listener's own password file and ACL: alice may use sensors/# there, except sensors/secret.
     * {@link OperationsEnabledProfile} carries them, so that this test shares its application start.
     */
    public static Map<String, String> webSocketAuth() {
        // A fixed path: Quarkus calls this in two class loaders, which must agree on the files.
        Path dir = Path.of("target", "listener-auth-test");
        Path passwords = dir.resolve("passwords");
        Path acl = dir.resolve("acl");
        try {
            Files.createDirectories(dir);
            Path next = dir.resolve("passwords.next");
            Files.deleteIfExists(next);
            int status = PasswdCommand.run(new String[] {"-b", next.toString(), "alice", "secret1"},
                    new PrintStream(new ByteArrayOutputStream()));
            assertEquals(0, status, "passwd");
            // Replaced whole, so that a broker already watching them never reads half a file.
            Files.move(next, passwords, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(dir.resolve("acl.next"),
                    "user alice\ntopic deny sensors/secret\ntopic readwrite sensors/#\n");
            Files.move(dir.resolve("acl.next"), acl, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("midge.listener-auth.ws.password-file", passwords.toString(),
                "midge.listener-auth.ws.acl-file", acl.toString());
    }

    @Inject
    FileWatcher watcher;

    private Mqtt3Clients.Options webSocket() {
        return Mqtt3Clients.options().port(listener.webSocketPort()).webSocket("mqtt");
    }

    /** A client logged in over WebSocket. */
    private Client login(String clientId, String user, String password, boolean cleanSession) {
        return mqtt3.connect(clientId, webSocket().cleanSession(cleanSession).login(user, password));
    }

    @Test
    void anonymousClientsMayDoAnythingOnThePlainListenerButNotConnectOverWebSocket() throws Exception {
        Client anonymous = mqtt3.connect("plain-anonymous");
        anonymous.subscribe("private/#", 1);
        anonymous.subscribe("sensors/secret", 1);
        anonymous.publish("private/notes", "anything goes", 1, false);
        anonymous.publish("sensors/secret", "no ACL here", 1, false);
        assertEquals("anything goes", anonymous.next().payload());
        assertEquals("no ACL here", anonymous.next().payload());

        Mqtt3ConnAckException refused = assertThrows(Mqtt3ConnAckException.class,
                () -> mqtt3.connect("ws-anonymous", webSocket()));
        assertEquals(5, refused.getMqttMessage().getReturnCode().getCode(), "not authorized");
    }

    @Test
    void theWebSocketListenerChecksItsOwnPasswordFile() throws Exception {
        assertTrue(login("ws-alice", "alice", "secret1", true).isConnected());
        Mqtt3ConnAckException wrong = assertThrows(Mqtt3ConnAckException.class,
                () -> login("ws-wrong", "alice", "nope", true));
        assertEquals(4, wrong.getMqttMessage().getReturnCode().getCode(), "bad user name or password");

        assertTrue(mqtt3.connect("plain-alice", Mqtt3Clients.options().login("alice", "nope")).isConnected(),
                "the plain listener has no password file");
    }

    @Test
    void theWebSocketAclRefusesWhatThePlainListenerAllows() throws Exception {
        Client anonymous = mqtt3.connect("acl-plain");
        assertEquals(1, anonymous.granted("private/#", 1));
        Client alice = login("acl-ws-alice", "alice", "secret1", true);
        assertEquals(0x80, alice.granted("private/#", 1),
                "refused over WebSocket");

        alice.publish("private/notes", "alice may not write here", 1, false);
        anonymous.publish("private/notes", "marker", 1, false);
        assertEquals(List.of(), anonymous.receivedBefore("marker"), "alice's publish was dropped");
    }

    @Test
    void aWebSocketSubscriberReceivesOnlyWhatItsAclLetsItRead() throws Exception {
        Client alice = login("read-ws-alice", "alice", "secret1", true);
        alice.subscribe("sensors/#", 1);
        Client anonymous = mqtt3.connect("read-plain");
        anonymous.publish("sensors/secret", "not for alice", 1, false);
        anonymous.publish("sensors/temp", "for alice", 1, false);
        assertEquals(List.of(), alice.receivedBefore("for alice"));
    }

    @Test
    void aSessionResumedOverWebSocketIsFilteredByTheWebSocketAcl() throws Exception {
        Client before = mqtt3.connect("moving", false);
        before.subscribe("private/#", 1);
        before.subscribe("sensors/#", 1);
        before.disconnect();

        Client alice = login("moving", "alice", "secret1", false);
        assertTrue(alice.sessionPresent(), "the plain listener's session, subscriptions included");
        Client anonymous = mqtt3.connect("moving-publisher");
        anonymous.publish("private/notes", "not for alice", 1, false);
        anonymous.publish("sensors/secret", "not for alice either", 1, false);
        anonymous.publish("sensors/temp", "for alice", 1, false);
        assertEquals(List.of(), alice.receivedBefore("for alice"));
    }

    @Test
    void anUnreadableFileIsNamedByItsListenersKey() {
        String missing = Path.of("target", "listener-auth-test", "missing").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FileSecurity(
                "midge.listener-auth.tls", Optional.empty(), Optional.of(missing), Optional.empty(), watcher,
                new CryptoWorkers(1, 1)));
        assertTrue(e.getMessage().startsWith("midge.listener-auth.tls.password-file=" + missing + " cannot be read"),
                e.getMessage());
    }
}
