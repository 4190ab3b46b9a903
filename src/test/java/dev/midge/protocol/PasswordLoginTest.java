package dev.midge.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.protocol.PasswordLogin.Refusal;
import dev.midge.security.Authenticator;
import dev.midge.security.Authenticator.Outcome;
import dev.midge.security.LoginThrottle;
import dev.midge.stats.BrokerStats;
import io.netty.channel.DefaultEventLoop;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The password step of CONNECT, without a broker: the answers, the throttle, and the hop back to the loop. */
@Timeout(10)
class PasswordLoginTest {

    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final BrokerStats stats = new BrokerStats();
    private final LoginThrottle throttle = new LoginThrottle(2, 60_000);
    private final InetAddress address = InetAddress.getLoopbackAddress();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private Refusal check(Authenticator authenticator, boolean v5) throws InterruptedException {
        AtomicReference<Refusal> answer = new AtomicReference<>();
        CountDownLatch answered = new CountDownLatch(1);
        loop.execute(() -> new PasswordLogin(authenticator, throttle, stats).check(loop, address, "c", "u",
                new byte[0], dialect(v5), refusal -> {
                    answer.set(refusal);
                    answered.countDown();
                }));
        assertTrue(answered.await(5, TimeUnit.SECONDS));
        return answer.get();
    }

    private static ProtocolDialect dialect(boolean v5) {
        return ProtocolDialect.of(v5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1, ConnectionHarness.config(),
                ConnectionHarness.config().maxPacketSize());
    }

    private static Authenticator answering(Outcome outcome) {
        return (id, user, password) -> CompletableFuture.completedFuture(outcome);
    }

    @Test
    void anAnswerComputedElsewhereComesBackOnTheLoop() throws Exception {
        CompletableFuture<Outcome> later = new CompletableFuture<>();
        AtomicBoolean onLoop = new AtomicBoolean();
        CountDownLatch answered = new CountDownLatch(1);
        loop.execute(() -> new PasswordLogin((id, user, password) -> later, throttle, stats).check(loop, address,
                "c", "u", new byte[0], dialect(true), refusal -> {
                    onLoop.set(loop.inEventLoop() && refusal == null);
                    answered.countDown();
                }));
        new Thread(() -> later.complete(Outcome.ACCEPTED), "not-the-loop").start();
        assertTrue(answered.await(5, TimeUnit.SECONDS));
        assertTrue(onLoop.get(), "accepted, on the connection's loop");
    }

    @Test
    void saturatedWorkersRefuseWithServerUnavailableAndCountNoFailure() throws Exception {
        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5,
                check(answering(Outcome.UNAVAILABLE), true).code());
        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                check(answering(Outcome.UNAVAILABLE), false).code());
        assertEquals(0, stats.authFailures());
        assertTrue(!throttle.isBlocked(address, System.currentTimeMillis()));
    }

    @Test
    void aFailedCheckIsServerUnavailableToo() throws Exception {
        Authenticator broken = (id, user, password) -> CompletableFuture.failedFuture(new IllegalStateException());
        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5, check(broken, true).code());
    }

    @Test
    void badPasswordsCountTowardsTheThrottle() throws Exception {
        assertNull(check(answering(Outcome.ACCEPTED), true));
        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD,
                check(answering(Outcome.BAD_CREDENTIALS), true).code());
        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                check(answering(Outcome.NOT_AUTHORIZED), false).code());
        assertEquals(2, stats.authFailures());
        assertEquals(MqttConnectReturnCode.CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED,
                check(answering(Outcome.ACCEPTED), true).code(), "blocked after two failures");
    }
}
