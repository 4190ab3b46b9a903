package dev.midge.management;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Serves the meter registry at {@code /q/metrics} in the Prometheus text format, or OpenMetrics when asked. */
@ApplicationScoped
public class MetricsRoute {

    static final String PATH = "/q/metrics";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public MetricsRoute(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    void route(@Observes Router router) {
        // A scrape computes every gauge and formats them all: worker-thread work, not event-loop work.
        router.get(PATH).blockingHandler(ctx -> {
            String accept = ctx.request().getHeader("Accept");
            String type = accept != null && accept.contains("application/openmetrics-text")
                    ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
            ctx.response().putHeader("Content-Type", type).end(registry.scrape(type));
        }, false);
    }
}
