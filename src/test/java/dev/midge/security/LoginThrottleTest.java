package dev.midge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failed logins per address: after {@code midge.auth.max-failures} within the window, the address's CONNECTs
 * are refused without a credentials check (MQTT 5: 0x9F Connection rate exceeded) until the window ends.
 */
@QuarkusTest
@TestProfile(LoginThrottleTest.Profile.class)
@Timeout(60)
class LoginThrottleTest extends BrokerTestBase {

    public static class Profile extends SecurityProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("midge.auth.max-failures", "3");
            config.put("midge.auth.failure-window", "3s");
            return config;
        }
    }

    private byte[] connAckFor(String user, String password) throws Exception {
        try (RawMqttClient client = raw()) {
            client.connect("MQTT", 4, 0x02 | 0x80 | 0x40, 60, "throttled-" + user, user, password);
            return client.expect(RawMqttClient.CONNACK).body();
        }
    }

    @Test
    void anAddressThatKeepsFailingIsRefusedUncheckedUntilItsWindowEnds() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(4, connAckFor("alice", "guess-" + i)[1], "bad user name or password");
        }
        long throttled = stats.loginsThrottled();
        assertEquals(5, connAckFor("alice", "secret1")[1], "even the right password is refused now");
        Mqtt5ConnAckException v5 = assertThrows(Mqtt5ConnAckException.class, () -> Mqtt5Client.builder()
                .identifier("throttled-v5").serverHost("127.0.0.1").serverPort(listener.port()).buildBlocking()
                .connectWith().simpleAuth().username("alice").password("secret1".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send());
        assertEquals(Mqtt5ConnAckReasonCode.CONNECTION_RATE_EXCEEDED, v5.getMqttMessage().getReasonCode());
        assertEquals(throttled + 2, stats.loginsThrottled());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(250))
                .until(() -> connAckFor("alice", "secret1")[1] == 0);
    }

    @Test
    void theTableCountsPerAddressAndForgetsOldWindows() throws Exception {
        LoginThrottle throttle = new LoginThrottle(2, 1_000);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        throttle.failed(a, 0);
        assertFalse(throttle.isBlocked(a, 10));
        throttle.failed(a, 500);
        assertTrue(throttle.isBlocked(a, 600));
        assertFalse(throttle.isBlocked(b, 600), "other addresses are not affected");
        assertFalse(throttle.isBlocked(a, 1_000), "the window ended");
        throttle.failed(a, 1_200);
        assertFalse(throttle.isBlocked(a, 1_300), "a new window counts afresh");
        throttle.failed(a, 1_400);
        assertEquals(800, throttle.refusedForMillis(a, 1_400), "refused until the window that began at 1,200 ends");
        throttle.succeeded(a);
        assertEquals(0, throttle.refusedForMillis(a, 1_400), "a success forgets the failures");
        throttle.failed(a, 1_500);
        assertFalse(throttle.isBlocked(a, 1_500), "and counts afresh");
        LoginThrottle off = new LoginThrottle(0, 1_000);
        for (int i = 0; i < 10; i++) {
            off.failed(a, i);
        }
        assertFalse(off.isBlocked(a, 20), "0 turns it off");
    }

    @Test
    void theTableHoldsAtMostItsCapOfAddressesUntilTheirWindowsEnd() throws Exception {
        // Two failures to be refused, one from each address: the cap fills without a WARN line per address.
        LoginThrottle throttle = new LoginThrottle(2, 1_000);
        byte[] ip = new byte[16];
        for (int i = 0; i < LoginThrottle.MAX_ADDRESSES; i++) {
            ip[12] = (byte) (i >> 16);
            ip[13] = (byte) (i >> 8);
            ip[14] = (byte) i;
            throttle.failed(InetAddress.getByAddress(ip), 0);
        }
        InetAddress late = InetAddress.getByName("198.51.100.7");
        throttle.failed(late, 10);
        throttle.failed(late, 11);
        assertFalse(throttle.isBlocked(late, 20), "past the cap, a new address is not tracked");
        throttle.failed(late, 1_000);
        throttle.failed(late, 1_001);
        assertTrue(throttle.isBlocked(late, 1_010), "once the others' windows ended, they made room");
    }
}
