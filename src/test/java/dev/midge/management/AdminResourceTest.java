package dev.midge.management;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import dev.midge.transport.MqttListener;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admin API's write operations, on in this profile. */
@QuarkusTest
@TestProfile(OperationsEnabledProfile.class)
@Timeout(60)
class AdminResourceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    MqttListener listener;

    @BeforeEach
    void presentTheToken() {
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader("Authorization", "Bearer " + OperationsEnabledProfile.TOKEN).build();
    }

    @AfterEach
    void forgetTheToken() {
        RestAssured.requestSpecification = null;
    }

    @Test
    void writesNeedTheTokenOrAUserOfTheAdminPasswordFile() {
        RestAssured.requestSpecification = null;
        given().post("/api/v1/admin/drain").then().statusCode(401)
                .header("WWW-Authenticate", containsString("realm=\"midge-admin\""))
                .body("message", containsString("midge.admin.token-file"));
        given().header("Authorization", "Bearer not-the-token-at-all").post("/api/v1/admin/drain").then()
                .statusCode(401);
        given().auth().preemptive().basic(OperationsEnabledProfile.USER, "wrong").post("/api/v1/admin/drain")
                .then().statusCode(401);
        given().auth().preemptive().basic(OperationsEnabledProfile.USER, OperationsEnabledProfile.PASSWORD)
                .post("/api/v1/admin/drain").then().statusCode(204);
        given().header("Authorization", "Bearer " + OperationsEnabledProfile.TOKEN).delete("/api/v1/admin/drain")
                .then().statusCode(204);
        given().get("/api/v1/clients").then().statusCode(200);
    }

    @Test
    void disconnectsAClientAndKeepsItsSession() throws Exception {
        Mqtt3BlockingClient client = TestClients.connect(listener.port(), "admin-kicked", false);
        try {
            given().post("/api/v1/admin/clients/admin-kicked/disconnect").then().statusCode(202);
            await().atMost(WAIT).until(() -> !client.getState().isConnected());
            await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/clients/admin-kicked").then()
                    .statusCode(200).body("connected", equalTo(false)));
            given().post("/api/v1/admin/clients/admin-kicked/disconnect").then().statusCode(409)
                    .body("status", equalTo(409));
        } finally {
            TestClients.closeQuietly(client);
            TestClients.closeQuietly(TestClients.connect(listener.port(), "admin-kicked", true));
        }
    }

    @Test
    void disconnectingAnUnknownClientIs404() {
        given().post("/api/v1/admin/clients/admin-nobody/disconnect").then().statusCode(404)
                .body("status", equalTo(404));
    }

    @Test
    void publishesToSubscribers() throws Exception {
        Map<String, String> got = new ConcurrentHashMap<>();
        Mqtt3BlockingClient subscriber = TestClients.connect(listener.port(), "admin-subscriber", true);
        try {
            TestClients.subscribe(subscriber, "admin/published", 1,
                    (topic, message) -> got.put(topic, TestClients.payload(message)));
            given().contentType(ContentType.JSON)
                    .body("{\"topic\":\"admin/published\",\"payload\":\"from the API\",\"qos\":1}")
                    .post("/api/v1/admin/publish").then().statusCode(202);
            await().atMost(WAIT).until(() -> got.containsKey("admin/published"));
            assertEquals("from the API", got.get("admin/published"));
        } finally {
            TestClients.closeQuietly(subscriber);
        }
    }

    @Test
    void badPublishesAre400() {
        given().contentType(ContentType.JSON).body("{\"topic\":\"admin/#\",\"payload\":\"x\"}")
                .post("/api/v1/admin/publish").then().statusCode(400).body("message", containsString("topic"));
        given().contentType(ContentType.JSON).body("{\"topic\":\"admin/x\",\"qos\":3}")
                .post("/api/v1/admin/publish").then().statusCode(400).body("message", containsString("qos"));
    }

    @Test
    void deletesARetainedMessage() throws Exception {
        given().contentType(ContentType.JSON)
                .body("{\"topic\":\"admin/retained\",\"payload\":\"kept\",\"retain\":true}")
                .post("/api/v1/admin/publish").then().statusCode(202);
        Map<String, String> got = new ConcurrentHashMap<>();
        Mqtt3BlockingClient first = TestClients.connect(listener.port(), "admin-retained-1", true);
        try {
            TestClients.subscribe(first, "admin/retained", 0,
                    (topic, message) -> got.put("first", TestClients.payload(message)));
            await().atMost(WAIT).until(() -> "kept".equals(got.get("first")));
        } finally {
            TestClients.closeQuietly(first);
        }
        double retained = TestClients.metric("midge_retained_messages");
        given().queryParam("topic", "admin/retained").delete("/api/v1/admin/retained").then().statusCode(204);
        assertEquals(retained - 1, TestClients.metric("midge_retained_messages"));
        given().queryParam("topic", "admin/+").delete("/api/v1/admin/retained").then().statusCode(400);
    }

    @Test
    void drainsAndUndrains() {
        given().post("/api/v1/admin/drain").then().statusCode(204);
        try {
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'broker-drain' }.data.draining", equalTo(true));
        } finally {
            given().delete("/api/v1/admin/drain").then().statusCode(204);
        }
        given().get("/q/health/ready").then().statusCode(200);
    }
}
