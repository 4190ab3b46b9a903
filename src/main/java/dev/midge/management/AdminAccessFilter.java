package dev.midge.management;

import dev.midge.management.dashboard.DashboardAccess;
import dev.midge.management.dashboard.DashboardLogins;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * Guards {@code /api/v1/admin} and lifting a ban ({@code DELETE /api/v1/bans/...}): 403 while
 * {@code midge.admin.enabled=false}, so a broker exposed without care cannot be steered over HTTP; 401 without
 * valid credentials ({@link AdminCredentials}, or a dashboard login with the dashboard's header) once it is on;
 * 403 for a request a browser sent from a page of another origin.
 */
@Provider
public class AdminAccessFilter implements ContainerRequestFilter {

    private final AdminCredentials credentials;
    private final DashboardAccess dashboard;

    public AdminAccessFilter(AdminCredentials credentials, DashboardAccess dashboard) {
        this.credentials = credentials;
        this.dashboard = dashboard;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        boolean liftsABan = path.startsWith("/api/v1/bans") && !"GET".equals(request.getMethod());
        if (!path.startsWith("/api/v1/admin") && !liftsABan) {
            return;
        }
        if (!credentials.enabled()) {
            request.abortWith(ApiError.response(Response.Status.FORBIDDEN,
                    "admin write operations are off; set midge.admin.enabled=true to allow them"));
        } else if (crossOrigin(request)) {
            request.abortWith(ApiError.response(Response.Status.FORBIDDEN,
                    "admin write operations are refused to pages of another origin"));
        } else if (!PresentedCredentials.granted(request) && !dashboard.loginMayWrite(request)) {
            Response refused = ApiError.response(Response.Status.UNAUTHORIZED,
                    "admin write operations need the bearer token of midge.admin.token-file or a user of"
                            + " midge.admin.password-file");
            // The dashboard asks with its own form; the challenge would open the browser's dialog.
            request.abortWith(request.getHeaderString(DashboardLogins.HEADER) != null ? refused
                    : Response.fromResponse(refused).header(HttpHeaders.WWW_AUTHENTICATE, credentials.challenge())
                            .build());
        }
    }

    /** A browser names the page's origin; HTTP Basic credentials it remembers must not serve another site. */
    private static boolean crossOrigin(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (origin == null) {
            return false;
        }
        String host = request.getHeaderString(HttpHeaders.HOST);
        int scheme = origin.indexOf("://");
        return host == null || scheme < 0 || !origin.substring(scheme + 3).equalsIgnoreCase(host);
    }
}
