package dev.midge.management;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failed admin credentials per address (all of these come from 127.0.0.1): after midge.admin.max-failures within
 * the window, the login form and HTTP Basic are answered 429 with Retry-After, unchecked, until the window ends;
 * a success clears the count. The window is stepped on a {@link SteppedClock}, not waited for.
 */
@QuarkusTest
@TestProfile(AdminLoginThrottleTest.Profile.class)
@Timeout(120)
class AdminLoginThrottleTest {

    private static final String HEADER = "X-Midge-Dashboard";
    private static final Duration WINDOW = Duration.ofMinutes(1);

    public static class Profile extends OperationsEnabledProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("midge.admin.max-failures", "3");
            config.put("midge.admin.failure-window", "1m");
            return config;
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(SteppedClock.class);
        }
    }

    @Inject
    SteppedClock clock;

    @BeforeEach
    void endEveryWindow() {
        clock.step(WINDOW.plusSeconds(1));
    }

    private static Response login(String password) {
        return given().header(HEADER, "1").formParam("user", OperationsEnabledProfile.USER)
                .formParam("password", password).post("/api/v1/dashboard/auth/login");
    }

    private static RequestSpecification basic(String password) {
        return given().auth().preemptive().basic(OperationsEnabledProfile.USER, password);
    }

    @Test
    void failedLoginsMakeTheAddressWaitUntilTheWindowEnds() {
        for (int i = 0; i < 3; i++) {
            login("guess-" + i).then().statusCode(401);
        }
        long throttled = metric();
        Response refused = login(OperationsEnabledProfile.PASSWORD);
        refused.then().statusCode(429).body("message", containsString("too many failed logins"));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= WINDOW.toSeconds(), "Retry-After " + retryAfter);
        basic(OperationsEnabledProfile.PASSWORD).get("/api/v1/dashboard/overview").then().statusCode(429)
                .header("Retry-After", String.valueOf(retryAfter));
        given().header("Authorization", "Bearer " + OperationsEnabledProfile.TOKEN)
                .get("/api/v1/dashboard/samples/stream").then().statusCode(429);
        assertEquals(throttled + 3, metric(), "midge_admin_throttled_total counts each refusal");

        clock.step(WINDOW.minusSeconds(10));
        login(OperationsEnabledProfile.PASSWORD).then().statusCode(429).header("Retry-After", "10");
        clock.step(Duration.ofSeconds(10));
        login(OperationsEnabledProfile.PASSWORD).then().statusCode(204);
    }

    @Test
    void failedHttpBasicCountsAndASuccessClearsTheCount() {
        for (int i = 0; i < 2; i++) {
            basic("guess-" + i).get("/api/v1/dashboard/overview").then().statusCode(401);
        }
        basic(OperationsEnabledProfile.PASSWORD).get("/api/v1/dashboard/overview").then().statusCode(200);
        for (int i = 0; i < 2; i++) {
            basic("guess-" + i).post("/api/v1/admin/drain").then().statusCode(401);
        }
        basic(OperationsEnabledProfile.PASSWORD).get("/api/v1/dashboard/overview").then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            basic("guess-" + i).post("/api/v1/admin/drain").then().statusCode(401);
        }
        basic(OperationsEnabledProfile.PASSWORD).delete("/api/v1/admin/drain").then().statusCode(429);
        given().get("/api/v1/dashboard/auth").then().statusCode(200);
    }

    @Test
    void onlyPathsThatTakeCredentialsCountThem() {
        for (int i = 0; i < 4; i++) {
            basic("guess-" + i).get("/api/v1/bans").then().statusCode(200);
            basic("guess-" + i).get("/api/v1/config").then().statusCode(200);
        }
        basic(OperationsEnabledProfile.PASSWORD).get("/api/v1/dashboard/overview").then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            basic("guess-" + i).delete("/api/v1/bans/nobody").then().statusCode(401);
        }
        basic(OperationsEnabledProfile.PASSWORD).delete("/api/v1/bans/nobody").then().statusCode(429);
    }

    private static long metric() {
        String line = given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith("midge_admin_throttled_total")).findFirst()
                .orElseThrow(() -> new AssertionError("no midge_admin_throttled_total"));
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
