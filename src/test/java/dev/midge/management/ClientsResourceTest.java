package dev.midge.management;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import dev.midge.transport.MqttListener;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GET /api/v1/clients and /api/v1/clients/{id} against real clients; paging and its errors. */
@QuarkusTest
@Timeout(60)
class ClientsResourceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    MqttListener listener;

    @Test
    void describesAConnectedClient() throws Exception {
        Mqtt3BlockingClient client = TestClients.connect(listener.port(), "clients-online", true);
        try {
            client.subscribeWith()
                    .addSubscription().topicFilter("clients/a").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .addSubscription().topicFilter("clients/b/#").qos(MqttQos.AT_MOST_ONCE).applySubscription().send();
            given().get("/api/v1/clients/clients-online").then().statusCode(200)
                    .body("clientId", equalTo("clients-online"))
                    .body("connected", equalTo(true))
                    .body("protocol", equalTo("MQTT 3.1.1"))
                    .body("remoteAddress", startsWith("127.0.0.1:"))
                    .body("connectedSince", notNullValue())
                    .body("expiryInterval", equalTo(0))
                    .body("subscriptions", equalTo(2))
                    .body("queued", equalTo(0))
                    .body("inflight", equalTo(0));
        } finally {
            TestClients.closeQuietly(client);
        }
    }

    @Test
    void describesAnOfflineSessionWithItsQueue() throws Exception {
        Mqtt3BlockingClient client = TestClients.connect(listener.port(), "clients-offline", false);
        TestClients.subscribe(client, "clients/offline", 1);
        client.disconnect();
        Mqtt3BlockingClient publisher = TestClients.connect(listener.port(), "clients-offline-publisher", true);
        try {
            for (int i = 0; i < 3; i++) {
                TestClients.publish(publisher, "clients/offline", "m" + i, 1, false);
            }
            await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/clients/clients-offline").then()
                    .statusCode(200)
                    .body("connected", equalTo(false))
                    .body("protocol", nullValue())
                    .body("remoteAddress", nullValue())
                    .body("connectedSince", nullValue())
                    .body("subscriptions", equalTo(1))
                    .body("queued", equalTo(3)));
        } finally {
            TestClients.closeQuietly(publisher);
            TestClients.closeQuietly(TestClients.connect(listener.port(), "clients-offline", true));
        }
    }

    @Test
    void unknownClientIs404Json() {
        given().get("/api/v1/clients/no-such-client").then().statusCode(404)
                .contentType("application/json")
                .body("status", equalTo(404))
                .body("message", containsString("no-such-client"));
    }

    @Test
    void pagesAreOrderedByClientId() throws Exception {
        List<Mqtt3BlockingClient> clients = new ArrayList<>();
        try {
            for (String id : new String[] {"page-c", "page-a", "page-b"}) {
                clients.add(TestClients.connect(listener.port(), id, true));
            }
            List<String> ids = given().queryParam("page", 0).queryParam("size", 1000).get("/api/v1/clients")
                    .then().statusCode(200)
                    .body("page", equalTo(0))
                    .body("size", equalTo(1000))
                    .body("total", greaterThanOrEqualTo(3))
                    .extract().jsonPath().getList("clients.clientId", String.class);
            assertEquals(ids.stream().sorted().toList(), ids);
            int first = ids.indexOf("page-a");
            assertEquals(List.of("page-a", "page-b", "page-c"), ids.subList(first, first + 3));
            // One a page: page n holds the n-th client of the whole order.
            given().queryParam("page", first + 1).queryParam("size", 1).get("/api/v1/clients").then()
                    .statusCode(200)
                    .body("clients", hasSize(1))
                    .body("clients[0].clientId", equalTo("page-b"))
                    .body("clients[0].connected", equalTo(true));
            given().queryParam("page", 100_000).queryParam("size", 1000).get("/api/v1/clients").then()
                    .statusCode(200)
                    .body("clients", empty());
        } finally {
            clients.forEach(TestClients::closeQuietly);
        }
    }

    @Test
    void defaultPaging() {
        given().get("/api/v1/clients").then().statusCode(200)
                .body("page", equalTo(0))
                .body("size", equalTo(100));
    }

    @Test
    void badPagingIs400Json() {
        badPaging("page", "-1", "page must be");
        badPaging("page", "first", "page must be");
        badPaging("size", "0", "size must be");
        badPaging("size", "1001", "size must be");
        badPaging("size", "99999999999", "size must be");
    }

    private static void badPaging(String parameter, String value, String message) {
        given().queryParam(parameter, value).get("/api/v1/clients").then().statusCode(400)
                .contentType("application/json")
                .body("status", equalTo(400))
                .body("message", containsString(message));
    }
}
