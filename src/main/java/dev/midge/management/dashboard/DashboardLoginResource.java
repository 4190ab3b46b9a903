package dev.midge.management.dashboard;

import dev.midge.config.MidgeConfig;
import dev.midge.management.AdminCredentials;
import dev.midge.management.AdminLoginThrottle;
import dev.midge.management.ApiError;
import dev.midge.management.PresentedCredentials;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.InetAddress;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The dashboard's login: a form that gets a session cookie, its logout, and what the caller may do. */
@Path(DashboardLoginResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dashboard")
public class DashboardLoginResource {

    static final String PATH = "/api/v1/dashboard/auth";

    /**
     * What the dashboard shows and offers.
     *
     * @param loginRequired whether admin credentials are configured, so that reading needs them
     * @param readable whether this caller may read
     * @param writable whether this caller may disconnect, publish and delete retained messages
     */
    @RegisterForReflection
    public record Access(boolean loginRequired, boolean loggedIn, boolean readable, boolean writable,
            boolean writesEnabled) {
    }

    private final AdminCredentials credentials;
    private final DashboardAccess access;
    private final DashboardLogins logins;
    private final AdminLoginThrottle throttle;
    private final boolean adminEnabled;

    public DashboardLoginResource(AdminCredentials credentials, DashboardAccess access, DashboardLogins logins,
            AdminLoginThrottle throttle, MidgeConfig config) {
        this.credentials = credentials;
        this.throttle = throttle;
        this.access = access;
        this.logins = logins;
        this.adminEnabled = config.admin().enabled();
    }

    @GET
    @Operation(summary = "Whether reading needs a login, and what this caller may read and write")
    public Access get(@Context ContainerRequestContext request) {
        boolean loggedIn = access.loggedIn(request);
        boolean presented = PresentedCredentials.granted(request);
        return new Access(credentials.configured(), loggedIn, access.mayRead(request),
                adminEnabled && (loggedIn || presented), adminEnabled);
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Logs in with a user of midge.admin.password-file (or, with no user, the token of "
            + "midge.admin.token-file); 204 with an HttpOnly, SameSite=Strict session cookie, 401, or 429 after "
            + "midge.admin.max-failures failed logins from the caller's address")
    // A plain return type: served on a worker thread, where checking a password hash belongs.
    public Response login(@FormParam("user") String user, @FormParam("password") String password,
            @HeaderParam(DashboardLogins.HEADER) String dashboardHeader, @Context UriInfo uri,
            @Context HttpServerRequest http) {
        if (dashboardHeader == null) {
            return ApiError.response(Response.Status.BAD_REQUEST, "a login needs the " + DashboardLogins.HEADER
                    + " header");
        }
        if (!credentials.configured()) {
            return ApiError.response(Response.Status.UNAUTHORIZED, "no admin credentials are configured to log in"
                    + " with");
        }
        InetAddress from = AdminLoginThrottle.address(http);
        return switch (throttle.check(from, () -> credentials.permits(user, password))) {
            case GRANTED -> Response.noContent().header("Set-Cookie", cookie(logins.open() + "; Path=/", uri))
                    .build();
            case REFUSED -> ApiError.response(Response.Status.UNAUTHORIZED, "wrong user or password");
            case THROTTLED -> throttle.tooManyFailures(from);
        };
    }

    @POST
    @Path("/logout")
    @Operation(summary = "Ends the caller's dashboard login; 204")
    public Response logout(@Context ContainerRequestContext request, @Context UriInfo uri) {
        logins.close(DashboardAccess.token(request));
        return Response.noContent().header("Set-Cookie", cookie("; Path=/; Max-Age=0", uri)).build();
    }

    /** The cookie ends with the browser session; the server ends the login after the timeout without use. */
    private static String cookie(String valueAndLifetime, UriInfo uri) {
        boolean https = "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
        return DashboardLogins.COOKIE + "=" + valueAndLifetime + "; HttpOnly; SameSite=Strict"
                + (https ? "; Secure" : "");
    }
}
