package dev.midge.management;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.midge.mqtt5.Mqtt5LimitsProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * midge.dashboard.enabled=false: neither the pages nor their API are served; the rest of the API is. The setting
 * is in {@link Mqtt5LimitsProfile}, whose application start this test shares.
 */
@QuarkusTest
@TestProfile(Mqtt5LimitsProfile.class)
class DashboardDisabledTest {

    @Test
    void neitherPagesNorTheirApiAreServed() {
        given().get("/").then().statusCode(404);
        given().get("/dashboard/app.js").then().statusCode(404);
        given().get("/api/v1/dashboard/overview").then().statusCode(404)
                .body("message", containsString("midge.dashboard.enabled"));
        given().get("/api/v1/dashboard/auth").then().statusCode(404);
        given().get("/api/v1/config").then().statusCode(200);
    }
}
