package dev.midge.management.dashboard;

import dev.midge.config.MidgeConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves the dashboard's files (classpath {@code dashboard/}): the page at {@code /} and the rest at
 * {@code /dashboard/NAME}. They are few and small, so they are read once and kept; nothing else is served, and
 * nothing at all with {@code midge.dashboard.enabled=false}. The files hold no data: every number comes from
 * {@code /api/v1/dashboard}, which asks for the credentials.
 */
@ApplicationScoped
public class DashboardPages {

    /** Every file of classpath {@code dashboard/}; DashboardPagesTest checks the list against the folder. */
    static final List<String> FILES = List.of("index.html", "style.css", "app.js", "api.js", "charts.js",
            "overview.js", "clients.js", "topics.js", "system.js", "cluster.js", "uPlot.esm.js", "uPlot.min.css");
    static final String SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' "
            + "'unsafe-inline'; frame-ancestors 'none'; form-action 'self'";

    private final boolean enabled;
    private final Map<String, Buffer> files = new HashMap<>();

    public DashboardPages(MidgeConfig config) {
        this.enabled = config.dashboard().enabled();
        if (enabled) {
            FILES.forEach(name -> files.put(name, Buffer.buffer(read(name))));
        }
    }

    private static byte[] read(String name) {
        try (InputStream in = DashboardPages.class.getClassLoader().getResourceAsStream("dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard/" + name + " is missing from the application");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void route(@Observes Router router) {
        if (!enabled) {
            return;
        }
        router.get("/").handler(ctx -> serve(ctx, "index.html"));
        router.get("/dashboard/:file").handler(ctx -> serve(ctx, ctx.pathParam("file")));
    }

    private void serve(RoutingContext ctx, String name) {
        Buffer body = files.get(name);
        if (body == null) {
            ctx.next();
            return;
        }
        ctx.response()
                .putHeader("Content-Type", contentType(name))
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Content-Security-Policy", SECURITY_POLICY)
                .putHeader("Referrer-Policy", "same-origin")
                .end(body);
    }

    static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        return "text/javascript; charset=utf-8";
    }
}
