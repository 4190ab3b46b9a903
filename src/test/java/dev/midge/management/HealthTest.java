package dev.midge.management;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import dev.midge.config.MemoryMarks;
import dev.midge.transport.MqttListener;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The three probes at /q/health, the data they report, and readiness while draining. */
@QuarkusTest
@Timeout(60)
class HealthTest {

    @Inject
    MqttListener listener;

    @Inject
    DrainState drain;

    @Test
    void liveWhileEventLoopsRunTheirProbes() {
        given().get("/q/health/live").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'event-loops' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'event-loops' }.data.event-loops", greaterThan(0))
                .body("checks.find { it.name == 'event-loops' }.data.wedged", equalTo(0))
                .body("checks.find { it.name == 'event-loops' }.data.timeout-ms", equalTo(5000));
    }

    @Test
    void readyWithListenerPortAndNotDraining() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("mqtt-listener"))
                .body("checks.find { it.name == 'mqtt-listener' }.data.port", equalTo(listener.port()))
                .body("checks.find { it.name == 'broker-drain' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'broker-drain' }.data.started", equalTo(true))
                .body("checks.find { it.name == 'broker-drain' }.data.draining", equalTo(false));
    }

    @Test
    void readyReportsTheStoreAndWhatRecoveryLoaded() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'persistence' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'persistence' }.data.enabled", equalTo(true))
                .body("checks.find { it.name == 'persistence' }.data.recovered", equalTo(true))
                .body("checks.find { it.name == 'persistence' }.data.sync", equalTo("always"))
                .body("checks.find { it.name == 'persistence' }.data.location", containsString("midge.mv.db"))
                .body("checks.find { it.name == 'persistence' }.data.recoveredSessions", equalTo(0));
    }

    @Test
    void readyReportsTheMemoryHeldAgainstItsMarks() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'memory' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'memory' }.data.state", equalTo("normal"))
                .body("checks.find { it.name == 'memory' }.data.heldBytes", greaterThanOrEqualTo(0));
        long high = given().get("/q/health/ready").then().extract().jsonPath()
                .getLong("checks.find { it.name == 'memory' }.data.highBytes");
        assertEquals((long) (Runtime.getRuntime().maxMemory() * MemoryMarks.HEAP_SHARE), high,
                "by default a share of the heap");
    }

    @Test
    void startedReportsThePort() {
        given().get("/q/health/started").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'broker-startup' }.data.port", equalTo(listener.port()));
    }

    @Test
    void readinessCountsConnections() throws Exception {
        Mqtt3BlockingClient client = TestClients.connect(listener.port(), "health-counted", true);
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .body("checks.find { it.name == 'mqtt-listener' }.data.connections", greaterThanOrEqualTo(1))
                    .body("checks.find { it.name == 'broker-drain' }.data.connections", greaterThanOrEqualTo(1)));
        } finally {
            TestClients.closeQuietly(client);
        }
    }

    @Test
    void notReadyWhileDrainingButStillLive() {
        drain.begin();
        try {
            given().get("/q/health/ready").then().statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'broker-drain' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'broker-drain' }.data.draining", equalTo(true))
                    .body("checks.find { it.name == 'mqtt-listener' }.status", equalTo("UP"));
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            drain.end();
        }
        given().get("/q/health/ready").then().statusCode(200);
    }
}
