package dev.midge.management;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** With the default midge.admin.enabled=false every write operation is refused with 403. */
@QuarkusTest
class AdminDisabledTest {

    @Test
    void everyWriteOperationIsForbidden() {
        forbidden(given().post("/api/v1/admin/clients/anyone/disconnect").then());
        forbidden(given().contentType(ContentType.JSON).body("{\"topic\":\"a\",\"payload\":\"b\"}")
                .post("/api/v1/admin/publish").then());
        forbidden(given().queryParam("topic", "a").delete("/api/v1/admin/retained").then());
        forbidden(given().post("/api/v1/admin/drain").then());
        forbidden(given().delete("/api/v1/admin/drain").then());
        given().get("/q/health/ready").then().statusCode(200);
    }

    private static void forbidden(io.restassured.response.ValidatableResponse response) {
        response.statusCode(403)
                .contentType("application/json")
                .body("status", equalTo(403))
                .body("message", containsString("midge.admin.enabled"));
    }
}
