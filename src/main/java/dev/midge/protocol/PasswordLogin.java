package dev.midge.protocol;

import dev.midge.security.Authenticator;
import dev.midge.security.Authenticator.Outcome;
import dev.midge.security.LoginThrottle;
import dev.midge.stats.BrokerStats;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The user name and password step of a CONNECT: the login throttle, then the listener's {@link Authenticator},
 * whose password hash runs off the event loop. The answer comes back on the connection's loop: at once when
 * nothing had to be computed, otherwise as a task on that loop once the hash is done.
 */
final class PasswordLogin {

    private static final Logger LOG = Logger.getLogger(PasswordLogin.class);

    /** Why a CONNECT is refused: the CONNACK code and the reason for the log. */
    record Refusal(MqttConnectReturnCode code, String reason) {
    }

    private final Authenticator authenticator;
    private final LoginThrottle throttle;
    private final BrokerStats stats;

    PasswordLogin(Authenticator authenticator, LoginThrottle throttle, BrokerStats stats) {
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.stats = stats;
    }

    /**
     * Checks the credentials and calls {@code done} on {@code loop} with null when the client may connect, or
     * with the refusal. The caller must check on the callback that its connection still waits for it.
     */
    void check(EventExecutor loop, InetAddress address, String clientId, String username, byte[] password,
            ProtocolDialect dialect, Consumer<Refusal> done) {
        if (throttle.isBlocked(address, System.currentTimeMillis())) {
            stats.loginThrottled();
            done.accept(new Refusal(dialect.connectionRateExceeded(), "too many failed logins from this address"));
            return;
        }
        CompletableFuture<Outcome> outcome = authenticator.authenticate(clientId, username, password)
                .toCompletableFuture();
        if (outcome.isDone()) {
            done.accept(refusal(outcome, address, dialect));
            return;
        }
        outcome.whenComplete((result, error) -> loop.execute(() -> done.accept(refusal(outcome, address, dialect))));
    }

    /** Runs on the loop: counts a failure, maps the outcome to a CONNACK code. */
    private Refusal refusal(CompletableFuture<Outcome> completed, InetAddress address, ProtocolDialect dialect) {
        Outcome outcome;
        try {
            outcome = completed.join();
        } catch (RuntimeException e) {
            LOG.warnf(e, "Password check for a client from %s failed", address);
            outcome = Outcome.UNAVAILABLE;
        }
        return switch (outcome) {
            case ACCEPTED -> null;
            case UNAVAILABLE -> new Refusal(dialect.serverUnavailable(), "password checks saturated");
            case BAD_CREDENTIALS -> failed(address, dialect.badCredentials(), "bad user name or password");
            case NOT_AUTHORIZED -> failed(address, dialect.notAuthorized(), "not authorized");
        };
    }

    private Refusal failed(InetAddress address, MqttConnectReturnCode code, String reason) {
        stats.authFailure();
        throttle.failed(address, System.currentTimeMillis());
        return new Refusal(code, reason);
    }
}
