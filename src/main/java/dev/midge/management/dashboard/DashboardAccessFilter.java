package dev.midge.management.dashboard;

import dev.midge.management.ApiError;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * Guards {@code /api/v1/dashboard}: 404 while {@code midge.dashboard.enabled=false}; 401 for a read without
 * credentials when admin credentials are configured. The login endpoints themselves are open.
 */
@Provider
public class DashboardAccessFilter implements ContainerRequestFilter {

    static final String PATH = "/api/v1/dashboard";

    private final DashboardAccess access;

    public DashboardAccessFilter(DashboardAccess access) {
        this.access = access;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith(PATH)) {
            return;
        }
        if (!access.enabled()) {
            request.abortWith(ApiError.response(Response.Status.NOT_FOUND,
                    "the dashboard is off (midge.dashboard.enabled=false)"));
        } else if (!path.startsWith(DashboardLoginResource.PATH) && !access.mayRead(request)) {
            // No WWW-Authenticate: the dashboard asks with its own form, not with the browser's dialog.
            request.abortWith(ApiError.response(Response.Status.UNAUTHORIZED,
                    "log in with a user of midge.admin.password-file or the token of midge.admin.token-file"));
        }
    }
}
