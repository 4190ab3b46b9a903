package dev.midge.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * k8s/monitoring: the broker plus a PodMonitor scraping each pod's /q/metrics on its http port, and the Grafana
 * dashboard as a ConfigMap Grafana's sidecar picks up; the base itself holds none of the operator's kinds.
 */
class MonitoringManifestsTest {

    @Test
    void theMonitoringOverlayAddsAPodMonitorAndTheDashboard() throws Exception {
        RenderedManifests monitoring = RenderedManifests.render("k8s/monitoring");

        Map<String, Object> podMonitor = monitoring.only("PodMonitor");
        assertEquals("midge", RenderedManifests.map(podMonitor, "spec", "selector", "matchLabels")
                .get("app.kubernetes.io/name"));
        Map<String, Object> endpoint = RenderedManifests.list(RenderedManifests.map(podMonitor, "spec"),
                "podMetricsEndpoints").get(0);
        assertEquals("http", endpoint.get("port"));
        assertEquals("/q/metrics", endpoint.get("path"));
        assertTrue(monitoring.containerPort("http").isPresent(), "the pod names the port the PodMonitor scrapes");

        List<Map<String, Object>> dashboards = monitoring.all("ConfigMap").stream()
                .filter(c -> "1".equals(RenderedManifests.map(c, "metadata", "labels").get("grafana_dashboard")))
                .toList();
        assertEquals(1, dashboards.size());
        assertTrue(RenderedManifests.map(dashboards.get(0), "data").containsKey("grafana-dashboard.json"));
        assertEquals(1, monitoring.all("StatefulSet").size(), "it is the broker as well");
    }

    @Test
    void theBaseStaysFreeOfTheOperatorsKinds() throws Exception {
        assertTrue(RenderedManifests.render("k8s").all("PodMonitor").isEmpty());
    }
}
