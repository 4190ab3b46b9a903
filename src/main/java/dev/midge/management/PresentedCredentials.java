package dev.midge.management;

import dev.midge.security.CryptoWorkers;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks the admin credentials that a request to the dashboard's or the admin API presents in its
 * {@code Authorization} header, once and before the access filters, which read the outcome with
 * {@link #granted}; a throttled address is answered 429 here ({@link AdminLoginThrottle}).
 *
 * <p>A password hash is slow on purpose, and the filters of an endpoint that does not block (the samples' event
 * stream, the client lists) run on the event loop that serves the request. There the check goes to
 * {@link CryptoWorkers}, whose bounded queue also keeps a flood of guesses from holding every HTTP worker thread;
 * the request resumes on its own thread once the hash is done. On a worker thread already it runs in place. A
 * cache of verified headers would still need its first hash off the loop and would keep what a password derives
 * in memory, so there is none.
 */
public class PresentedCredentials {

    private static final String GRANTED = PresentedCredentials.class.getName() + ".granted";
    private static final List<String> GUARDED = List.of("/api/v1/dashboard", "/api/v1/admin");

    private final AdminCredentials credentials;
    private final AdminLoginThrottle throttle;
    private final CryptoWorkers workers;

    public PresentedCredentials(AdminCredentials credentials, AdminLoginThrottle throttle, CryptoWorkers workers) {
        this.credentials = credentials;
        this.throttle = throttle;
        this.workers = workers;
    }

    /** Whether the request presented admin credentials that hold. */
    public static boolean granted(ContainerRequestContext request) {
        return Boolean.TRUE.equals(request.getProperty(GRANTED));
    }

    /** The paths whose access filters ask for admin credentials; reading the bans is open. */
    private static boolean takesCredentials(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        return GUARDED.stream().anyMatch(path::startsWith)
                || path.startsWith("/api/v1/bans") && !"GET".equals(request.getMethod());
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Response> check(ContainerRequestContext request, HttpServerRequest http) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !credentials.configured() || !takesCredentials(request)) {
            return Uni.createFrom().nullItem();
        }
        InetAddress from = AdminLoginThrottle.address(http);
        Supplier<Response> verdict = () -> switch (throttle.check(from, () -> credentials.permits(authorization))) {
            case GRANTED -> {
                request.setProperty(GRANTED, Boolean.TRUE);
                yield null;
            }
            case THROTTLED -> throttle.tooManyFailures(from);
            case REFUSED -> null;
        };
        if (!Context.isOnEventLoopThread()) {
            return Uni.createFrom().item(verdict);
        }
        return Uni.createFrom().item(verdict).runSubscriptionOn(workers)
                .onFailure(RejectedExecutionException.class).recoverWithItem(() -> ApiError.response(
                        Response.Status.SERVICE_UNAVAILABLE, "too many credentials waiting to be checked; try again"));
    }
}
