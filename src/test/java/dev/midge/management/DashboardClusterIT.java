package dev.midge.management;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.BrokerCluster;
import dev.midge.testing.HeadlessChromium;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard of one node of a two-node cluster of packaged brokers on loopback: the cluster API its page
 * reads lists both nodes, reachable, and the cluster page in headless chromium shows both. The page's
 * screenshot goes to target/dashboard-screenshots/cluster.png (docs/img/dashboard-cluster.png is one).
 */
@Timeout(300)
class DashboardClusterIT {

    private static BrokerCluster cluster;

    @BeforeAll
    @Timeout(400)
    static void startCluster() throws Exception {
        cluster = new BrokerCluster(2);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theClusterPageShowsBothNodesAsTheApiListsThem() throws Exception {
        BrokerCluster.Node node = cluster.node(0);
        JsonPath[] view = new JsonPath[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            view[0] = JsonPath.from(node.get("/api/v1/dashboard/cluster"));
            assertTrue(view[0].getBoolean("enabled"));
            assertEquals("READY", view[0].getString("state"));
            assertEquals(2, view[0].getInt("members"));
            assertEquals(List.of(true, true), view[0].getList("nodes.reachable"));
        });
        assertEquals(Set.of("127.0.0.1:" + cluster.node(0).clusterPort(), "127.0.0.1:" + cluster.node(1).clusterPort()),
                Set.copyOf(view[0].getList("nodes.address", String.class)));
        Map<String, String> addresses = view[0].getList("nodes", Map.class).stream()
                .collect(Collectors.toMap(n -> (String) n.get("id"), n -> (String) n.get("address")));

        try (HeadlessChromium chromium = new HeadlessChromium()) {
            chromium.driver().get("http://127.0.0.1:" + node.httpPort() + "/#cluster");
            chromium.page("cluster");
            List<WebElement> rows = chromium.driver().findElements(By.cssSelector("#nodes tbody tr"));
            assertEquals(addresses.keySet(), rows.stream().map(r -> r.getAttribute("data-node"))
                    .collect(Collectors.toSet()), "the nodes shown");
            for (WebElement row : rows) {
                String id = row.getAttribute("data-node");
                assertTrue(row.getText().contains(addresses.get(id)), id + ": " + row.getText());
                assertEquals("true", row.getAttribute("data-reachable"), id + " reachable");
            }
            assertTrue(chromium.driver().findElement(By.id("cluster-state")).getText().contains("READY, 2 members"));
            chromium.screenshot("cluster");
        }
    }
}
