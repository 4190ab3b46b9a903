package dev.midge.management.dashboard;

import dev.midge.config.MidgeConfig;
import dev.midge.management.AdminCredentials;
import dev.midge.management.PresentedCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;

/**
 * Who may see and do what from the dashboard. Reading needs the admin credentials once any are configured (a
 * login cookie, HTTP Basic or the bearer token); writing needs them always, and with the cookie also the
 * dashboard's own header, so that a page of another site cannot make the browser write with it.
 */
@ApplicationScoped
public class DashboardAccess {

    private final boolean enabled;
    private final AdminCredentials credentials;
    private final DashboardLogins logins;

    public DashboardAccess(MidgeConfig config, AdminCredentials credentials, DashboardLogins logins) {
        this.enabled = config.dashboard().enabled();
        this.credentials = credentials;
        this.logins = logins;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Whether the request carries an open login's cookie. */
    public boolean loggedIn(ContainerRequestContext request) {
        return enabled && logins.isOpen(token(request));
    }

    public boolean mayRead(ContainerRequestContext request) {
        return !credentials.configured() || loggedIn(request) || PresentedCredentials.granted(request);
    }

    /** Whether a write is granted by the login cookie, which needs the dashboard's header beside it. */
    public boolean loginMayWrite(ContainerRequestContext request) {
        return request.getHeaderString(DashboardLogins.HEADER) != null && loggedIn(request);
    }

    static String token(ContainerRequestContext request) {
        Cookie cookie = request.getCookies().get(DashboardLogins.COOKIE);
        return cookie == null ? null : cookie.getValue();
    }
}
