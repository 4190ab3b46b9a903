package dev.midge.management;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * Guards {@code /api/v1/admin} and lifting a ban ({@code DELETE /api/v1/bans/...}): 403 while
 * {@code midge.admin.enabled=false}, so a broker exposed without care cannot be steered over HTTP; 401 without
 * valid credentials ({@link AdminCredentials}) once it is on.
 */
@Provider
public class AdminAccessFilter implements ContainerRequestFilter {

    private final AdminCredentials credentials;

    public AdminAccessFilter(AdminCredentials credentials) {
        this.credentials = credentials;
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
        } else if (!credentials.permits(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            request.abortWith(Response.fromResponse(ApiError.response(Response.Status.UNAUTHORIZED,
                    "admin write operations need the bearer token of midge.admin.token-file or a user of"
                            + " midge.admin.password-file"))
                    .header(HttpHeaders.WWW_AUTHENTICATE, credentials.challenge()).build());
        }
    }
}
