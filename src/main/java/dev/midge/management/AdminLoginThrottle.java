package dev.midge.management;

import dev.midge.config.MidgeConfig;
import dev.midge.security.LoginThrottle;
import dev.midge.stats.BrokerStats;
import io.netty.util.NetUtil;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.util.function.BooleanSupplier;

/**
 * Failed admin credentials per remote address: the dashboard's login form, and HTTP Basic or the bearer token on
 * the dashboard's and the admin API. After {@code midge.admin.max-failures} failures within
 * {@code midge.admin.failure-window} the address is answered 429 with {@code Retry-After}, its credentials
 * unchecked, until the window ends; a success forgets its failures. The table is {@link LoginThrottle}'s, so it
 * is bounded in the same way.
 */
@ApplicationScoped
public class AdminLoginThrottle {

    /** What became of credentials presented from an address. */
    public enum Verdict {
        GRANTED, REFUSED, THROTTLED
    }

    private final LoginThrottle failures;
    private final MonotonicClock clock;
    private final BrokerStats stats;

    public AdminLoginThrottle(MidgeConfig config, MonotonicClock clock, BrokerStats stats) {
        this.failures = new LoginThrottle(config.admin().maxFailures(), config.admin().failureWindow().toMillis());
        this.clock = clock;
        this.stats = stats;
    }

    /**
     * Checks credentials from the address unless it is throttled. Password hashes are slow on purpose, so this
     * throws on an event loop: a caller that forgot to hand it to a worker fails at once, rather than stalling
     * every connection of that loop for a hash.
     */
    public Verdict check(InetAddress from, BooleanSupplier credentialsHold) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("admin credentials must not be checked on an event loop");
        }
        if (failures.isBlocked(from, clock.millis())) {
            stats.adminLoginThrottled();
            return Verdict.THROTTLED;
        }
        if (credentialsHold.getAsBoolean()) {
            failures.succeeded(from);
            return Verdict.GRANTED;
        }
        failures.failed(from, clock.millis());
        return Verdict.REFUSED;
    }

    /** The answer to a throttled address: 429, and when to try again in whole seconds. */
    public Response tooManyFailures(InetAddress from) {
        long seconds = Math.max(1, (failures.refusedForMillis(from, clock.millis()) + 999) / 1000);
        return Response.fromResponse(ApiError.response(Response.Status.TOO_MANY_REQUESTS,
                "too many failed logins from this address; try again in " + seconds + " s"))
                .header(HttpHeaders.RETRY_AFTER, seconds).build();
    }

    /** The request's remote address (the forwarded one when Quarkus is told to trust a proxy), or null. */
    public static InetAddress address(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        // Parses a literal only: a name here must not cost a DNS lookup.
        return remote == null || remote.hostAddress() == null ? null
                : NetUtil.createInetAddressFromIpAddressString(remote.hostAddress());
    }
}
