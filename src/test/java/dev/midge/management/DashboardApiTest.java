package dev.midge.management;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import dev.midge.transport.MqttListener;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dashboard's API with admin credentials configured: logins, access rules, and what the pages read. */
@QuarkusTest
@TestProfile(OperationsEnabledProfile.class)
@Timeout(120)
class DashboardApiTest {

    private static final String HEADER = "X-Midge-Dashboard";

    @Inject
    MqttListener listener;

    @Inject
    io.vertx.core.Vertx vertx;

    @Inject
    AdminLoginThrottle throttle;

    @TestHTTPResource("/api/v1/dashboard/samples/stream")
    URL stream;

    private static RequestSpecification operator() {
        return given().header("Authorization", "Bearer " + OperationsEnabledProfile.TOKEN);
    }

    private static String login() {
        return given().header(HEADER, "1").formParam("user", OperationsEnabledProfile.USER)
                .formParam("password", OperationsEnabledProfile.PASSWORD)
                .post("/api/v1/dashboard/auth/login").then().statusCode(204)
                .header("Set-Cookie", containsString("HttpOnly"))
                .header("Set-Cookie", containsString("SameSite=Strict"))
                .header("Set-Cookie", not(containsString("Secure")))
                .extract().cookie("midge_dashboard");
    }

    @Test
    void readsNeedTheAdminCredentialsOrALogin() {
        given().get("/api/v1/dashboard/overview").then().statusCode(401)
                .body("message", containsString("midge.admin.password-file"));
        given().get("/api/v1/dashboard/auth").then().statusCode(200)
                .body("loginRequired", equalTo(true)).body("readable", equalTo(false));
        given().auth().preemptive().basic(OperationsEnabledProfile.USER, OperationsEnabledProfile.PASSWORD)
                .get("/api/v1/dashboard/overview").then().statusCode(200);
        operator()
                .get("/api/v1/dashboard/config").then().statusCode(200)
                .body("find { it.name == 'midge.admin.token-file' }.redacted", equalTo(false));
        given().cookie("midge_dashboard", login()).get("/api/v1/dashboard/system").then().statusCode(200)
                .body("listeners.find { it.name == 'mqtt' }.port", equalTo(listener.port()));
        given().cookie("midge_dashboard", "forged").get("/api/v1/dashboard/system").then().statusCode(401);
    }

    @Test
    void aLoginNeedsTheRightPasswordOrTokenAndTheDashboardHeader() {
        given().formParam("user", OperationsEnabledProfile.USER).formParam("password", OperationsEnabledProfile.PASSWORD)
                .post("/api/v1/dashboard/auth/login").then().statusCode(400).body("message", containsString(HEADER));
        given().header(HEADER, "1").formParam("user", OperationsEnabledProfile.USER).formParam("password", "wrong")
                .post("/api/v1/dashboard/auth/login").then().statusCode(401);
        given().header(HEADER, "1").formParam("password", OperationsEnabledProfile.TOKEN)
                .post("/api/v1/dashboard/auth/login").then().statusCode(204);
    }

    @Test
    void aLoginWritesOnlyWithTheDashboardHeaderFromItsOwnOrigin() {
        String cookie = login();
        given().cookie("midge_dashboard", cookie).get("/api/v1/dashboard/auth").then().statusCode(200)
                .body("loggedIn", equalTo(true)).body("writable", equalTo(true));
        String body = "{\"topic\":\"dashboard/api\",\"payload\":\"x\"}";
        given().cookie("midge_dashboard", cookie).contentType(ContentType.JSON).body(body)
                .post("/api/v1/admin/publish").then().statusCode(401);
        given().cookie("midge_dashboard", cookie).header(HEADER, "1").contentType(ContentType.JSON).body(body)
                .post("/api/v1/admin/publish").then().statusCode(202);
        given().cookie("midge_dashboard", cookie).header(HEADER, "1").header("Origin", "http://elsewhere.example")
                .contentType(ContentType.JSON).body(body).post("/api/v1/admin/publish").then().statusCode(403);
        given().cookie("midge_dashboard", cookie).post("/api/v1/dashboard/auth/logout").then().statusCode(204)
                .header("Set-Cookie", containsString("Max-Age=0"));
        given().cookie("midge_dashboard", cookie).header(HEADER, "1").contentType(ContentType.JSON).body(body)
                .post("/api/v1/admin/publish").then().statusCode(401);
        given().cookie("midge_dashboard", cookie).get("/api/v1/dashboard/overview").then().statusCode(401);
    }

    @Test
    void showsClientsTopicsAndCountsAsTheBrokerHoldsThem() throws Exception {
        Mqtt3BlockingClient client = TestClients.connect(listener.port(), "dashboard-api-client", true);
        try {
            TestClients.subscribe(client, "dashboard/api/+/temperature", 1);
            TestClients.publish(client, "dashboard/api/kitchen/temperature", "21.5", 1, true);
            await().atMost(Duration.ofSeconds(30)).pollInSameThread().untilAsserted(() -> operator()
                    .queryParam("filter", "dashboard/api/#").get("/api/v1/dashboard/topics/retained").then()
                    .statusCode(200).body("messages.topic", hasItem("dashboard/api/kitchen/temperature"))
                    .body("messages.find { it.topic == 'dashboard/api/kitchen/temperature' }.preview",
                            equalTo("21.5")));
            operator().get("/api/v1/dashboard/topics/subscriptions").then().statusCode(200)
                    .body("filters.find { it.filter == 'dashboard/api/+/temperature' }.subscribers", equalTo(1))
                    .body("total", greaterThanOrEqualTo(1));
            operator().queryParam("search", "API-CLIENT").get("/api/v1/dashboard/clients").then().statusCode(200)
                    .body("total", equalTo(1)).body("clients[0].clientId", equalTo("dashboard-api-client"))
                    .body("clients[0].node", equalTo("local"))
                    .body("clients[0].session.subscriptions", equalTo(1))
                    .body("clients[0].session.connected", equalTo(true));
            operator().queryParam("search", "nobody-has-this").get("/api/v1/dashboard/clients").then()
                    .body("total", equalTo(0));
            operator().queryParam("size", "0").get("/api/v1/dashboard/clients").then().statusCode(400);
            operator().queryParam("filter", "a/#/b").get("/api/v1/dashboard/topics/retained").then().statusCode(400);
            operator().get("/api/v1/dashboard/overview").then().statusCode(200)
                    .body("connections", greaterThanOrEqualTo(1)).body("retained", greaterThanOrEqualTo(1))
                    .body("dropped.queue_full", equalTo(0)).body("eventLoops.loops", greaterThanOrEqualTo(1));
        } finally {
            TestClients.closeQuietly(client);
        }
    }

    @Test
    void showsEveryListenerWithItsKindAddressStateAndConnections() throws Exception {
        operator().get("/api/v1/dashboard/system").then().statusCode(200)
                .body("listeners.name", contains("mqtt", "ws", "browsers", OperationsEnabledProfile.EXTRA))
                .body("listeners.kind", contains("mqtt", "ws", "ws", "mqtt"))
                .body("listeners.host", everyItem(equalTo("127.0.0.1")))
                .body("listeners.bound", everyItem(equalTo(true)))
                .body("listeners.find { it.name == 'ws' }.port", equalTo(listener.webSocketPort()))
                .body("listeners.find { it.name == 'browsers' }.port", equalTo(listener.port("browsers")))
                .body("listeners.find { it.name == 'plant' }.port", equalTo(listener.port(OperationsEnabledProfile.EXTRA)))
                .body("listeners.find { it.name == 'plant' }.connections", equalTo(0));
        Mqtt3BlockingClient client = TestClients.connect(listener.port(OperationsEnabledProfile.EXTRA), "on-the-extra",
                true);
        try {
            operator().get("/api/v1/dashboard/system").then()
                    .body("listeners.find { it.name == 'plant' }.connections", equalTo(1))
                    .body("listeners.find { it.name == 'browsers' }.connections", equalTo(0))
                    .body("connections", greaterThanOrEqualTo(1));
        } finally {
            TestClients.closeQuietly(client);
        }
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().untilAsserted(() -> operator()
                .get("/api/v1/dashboard/system").then()
                .body("listeners.find { it.name == 'plant' }.connections", equalTo(0)));
    }

    /**
     * The event stream and the client list do not block, so their filters run on an event loop; the credentials
     * check must leave it (AdminLoginThrottle.check throws there, which would answer 500).
     */
    @Test
    void credentialsAreCheckedOffTheEventLoop() throws Exception {
        java.util.concurrent.CompletableFuture<Throwable> onLoop = new java.util.concurrent.CompletableFuture<>();
        vertx.runOnContext(v -> {
            try {
                throttle.check(null, () -> true);
                onLoop.complete(null);
            } catch (RuntimeException e) {
                onLoop.complete(e);
            }
        });
        assertTrue(onLoop.get(10, java.util.concurrent.TimeUnit.SECONDS) instanceof IllegalStateException,
                "a check on an event loop is refused");
        given().auth().preemptive().basic(OperationsEnabledProfile.USER, OperationsEnabledProfile.PASSWORD)
                .get("/api/v1/dashboard/clients").then().statusCode(200);
        given().auth().preemptive().basic(OperationsEnabledProfile.USER, "wrong")
                .get("/api/v1/dashboard/clients").then().statusCode(401);
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create(stream.toString())).header("Accept", "text/event-stream")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (OperationsEnabledProfile.USER + ":" + OperationsEnabledProfile.PASSWORD)
                                .getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream body = response.body()) {
            assertEquals(200, response.statusCode());
        }
    }

    @Test
    void samplesEverySecondIntoTheHistoryAndTheStream() throws Exception {
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().untilAsserted(() -> operator().get("/api/v1/dashboard/samples")
                .then().statusCode(200).body("size()", greaterThanOrEqualTo(2)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(stream.toString()))
                .header("Authorization", "Bearer " + OperationsEnabledProfile.TOKEN)
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).build();
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line = lines.readLine();
            for (int read = 0; line != null && !line.startsWith("data:") && read < 20; read++) {
                line = lines.readLine();
            }
            assertTrue(line != null && line.startsWith("data:") && line.contains("\"messagesIn\""),
                    "a sample event, not " + line);
        }
    }
}
