package dev.midge.management;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** k8s/monitoring/grafana-dashboard.json is valid JSON and every metric it queries is one /q/metrics serves. */
@QuarkusTest
class GrafanaDashboardTest {

    private static final Pattern METRIC = Pattern.compile("\\bmidge_[a-z0-9_]+");

    @Test
    void everyQueriedMetricIsServed() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(
                Files.readString(Path.of("k8s", "monitoring", "grafana-dashboard.json")));
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertTrue(panel.hasNonNull("title"), panel.toString());
            for (JsonNode target : panel.get("targets")) {
                Matcher names = METRIC.matcher(target.get("expr").asText());
                while (names.find()) {
                    queried.add(names.group());
                }
            }
        }
        assertFalse(queried.isEmpty());
        String served = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String metric : queried) {
            assertTrue(Pattern.compile("(?m)^" + metric + "[{ ]").matcher(served).find(),
                    metric + " is queried by the dashboard but not served at /q/metrics");
        }
    }
}
