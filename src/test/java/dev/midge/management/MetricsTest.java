package dev.midge.management;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import dev.midge.testing.RawMqttClient;
import dev.midge.transport.MqttListener;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code midge_*} meters at /q/metrics, moved by real MQTT clients. Other tests share the broker, so each
 * assertion is about growth from a value read before, never about an absolute count.
 */
@QuarkusTest
@Timeout(60)
class MetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    MqttListener listener;

    @Test
    void servesPrometheusTextWithEveryBrokerMeter() {
        given().get("/q/metrics").then().statusCode(200)
                .header("Content-Type", containsString("text/plain; version=0.0.4"))
                .body(containsString("# TYPE midge_connections_open gauge"))
                .body(containsString("# TYPE midge_connections_accepted_total counter"))
                .body(containsString("# TYPE midge_auth_failures_total counter"))
                .body(containsString("# TYPE midge_auth_unauthorized_total counter"))
                .body(containsString("# TYPE midge_tls_handshake_failures_total counter"))
                .body(containsString("# TYPE midge_connections_refused_total counter"))
                .body(containsString("# TYPE midge_clients_connected gauge"))
                .body(containsString("# TYPE midge_sessions gauge"))
                .body(containsString("# TYPE midge_subscriptions gauge"))
                .body(containsString("# TYPE midge_retained_messages gauge"))
                .body(containsString("midge_messages_received_total{qos=\"2\"}"))
                .body(containsString("midge_messages_sent_total{qos=\"0\"}"))
                .body(containsString("# TYPE midge_network_received_bytes_total counter"))
                .body(containsString("# TYPE midge_network_sent_bytes_total counter"))
                .body(containsString("jvm_memory_used_bytes"));
        for (String reason : new String[] {"queue_full", "not_writable", "qos0_offline", "expired", "too_large"}) {
            given().get("/q/metrics").then().body(containsString(
                    "midge_messages_dropped_total{reason=\"" + reason + "\"}"));
        }
    }

    @Test
    void servesOpenMetricsWhenAsked() {
        given().header("Accept", "application/openmetrics-text").get("/q/metrics").then().statusCode(200)
                .header("Content-Type", containsString("application/openmetrics-text"))
                .body(containsString("# EOF"));
    }

    @Test
    void connectionsAndSessionsFollowAClient() throws Exception {
        double accepted = TestClients.metric("midge_connections_accepted_total");
        double open = TestClients.metric("midge_connections_open");
        double clients = TestClients.metric("midge_clients_connected");
        double sessions = TestClients.metric("midge_sessions");
        double subscriptions = TestClients.metric("midge_subscriptions");
        Mqtt3BlockingClient client = TestClients.connect(listener.port(), "metrics-connections", true);
        try {
            TestClients.subscribe(client, "metrics/connections/#", 1);
            await().atMost(WAIT).untilAsserted(() -> {
                assertTrue(TestClients.metric("midge_connections_accepted_total") >= accepted + 1);
                assertTrue(TestClients.metric("midge_connections_open") >= open + 1);
                assertTrue(TestClients.metric("midge_clients_connected") >= clients + 1);
                assertTrue(TestClients.metric("midge_sessions") >= sessions + 1);
                assertTrue(TestClients.metric("midge_subscriptions") >= subscriptions + 1);
            });
        } finally {
            TestClients.closeQuietly(client);
        }
    }

    @Test
    void offlineSessionsQueuedAndInflightMessagesAreGauged() throws Exception {
        try (RawMqttClient away = new RawMqttClient(listener.port());
                RawMqttClient slow = new RawMqttClient(listener.port());
                RawMqttClient publisher = new RawMqttClient(listener.port())) {
            away.connectAccepted("gauge-away", false);
            away.subscribe(1, "metrics/gauges", 1);
            away.subAck(1);
            away.disconnect();
            slow.connectAccepted("gauge-slow", true);
            slow.subscribe(1, "metrics/gauges", 1);
            slow.subAck(1);
            publisher.connectAccepted("gauge-publisher", true);
            for (int i = 1; i <= 2; i++) {
                publisher.publish("metrics/gauges", "m" + i, 1, i, false);
                publisher.expect(RawMqttClient.PUBACK);
            }
            // The slow subscriber never acknowledges: both stay in flight; the away one queues both.
            slow.expect(RawMqttClient.PUBLISH);
            slow.expect(RawMqttClient.PUBLISH);
            await().atMost(WAIT).untilAsserted(() -> {
                assertTrue(TestClients.metric("midge_sessions_offline") >= 1, "the away session");
                assertTrue(TestClients.metric("midge_messages_queued") >= 2, "queued for the away session");
                assertTrue(TestClients.metric("midge_messages_inflight") >= 2, "unacknowledged by the slow one");
            });
            away.close();
            try (RawMqttClient cleanUp = new RawMqttClient(listener.port())) {
                cleanUp.connectAccepted("gauge-away", true);
            }
        }
    }

    @Test
    void oneMessageIn128IsTimedFromPublishToDelivery() throws Exception {
        double timed = TestClients.metric("midge_message_delivery_seconds_count");
        Mqtt3BlockingClient subscriber = TestClients.connect(listener.port(), "latency-subscriber", true);
        Mqtt3BlockingClient publisher = TestClients.connect(listener.port(), "latency-publisher", true);
        try {
            AtomicInteger arrived = new AtomicInteger();
            TestClients.subscribe(subscriber, "metrics/latency", 0, (topic, message) -> arrived.incrementAndGet());
            for (int i = 0; i < 256; i++) {
                TestClients.publish(publisher, "metrics/latency", "1", 0, false);
            }
            await().atMost(WAIT).until(() -> arrived.get() == 256);
            await().atMost(WAIT).untilAsserted(() -> assertEquals(timed + 2,
                    TestClients.metric("midge_message_delivery_seconds_count"), "the 128th and the 256th"));
            assertTrue(TestClients.metric("midge_message_delivery_seconds_sum") > 0);
            given().get("/q/metrics").then()
                    .body(containsString("midge_message_delivery_seconds{quantile=\"0.99\"}"));
        } finally {
            TestClients.closeQuietly(publisher);
            TestClients.closeQuietly(subscriber);
        }
    }

    @Test
    void messagesAndBytesCountByQos() throws Exception {
        double[] received = new double[3];
        double[] sent = new double[3];
        for (int qos = 0; qos <= 2; qos++) {
            received[qos] = TestClients.metric("midge_messages_received_total{qos=\"" + qos + "\"}");
            sent[qos] = TestClients.metric("midge_messages_sent_total{qos=\"" + qos + "\"}");
        }
        double bytesIn = TestClients.metric("midge_network_received_bytes_total");
        double bytesOut = TestClients.metric("midge_network_sent_bytes_total");
        Mqtt3BlockingClient subscriber = TestClients.connect(listener.port(), "metrics-subscriber", true);
        Mqtt3BlockingClient publisher = TestClients.connect(listener.port(), "metrics-publisher", true);
        try {
            AtomicInteger arrived = new AtomicInteger();
            TestClients.subscribe(subscriber, "metrics/qos/#", 2, (topic, message) -> arrived.incrementAndGet());
            for (int qos = 0; qos <= 2; qos++) {
                TestClients.publish(publisher, "metrics/qos/" + qos, "payload " + qos, qos, false);
            }
            await().atMost(WAIT).until(() -> arrived.get() == 3);
            await().atMost(WAIT).untilAsserted(() -> {
                for (int qos = 0; qos <= 2; qos++) {
                    assertTrue(TestClients.metric("midge_messages_received_total{qos=\"" + qos + "\"}")
                            >= received[qos] + 1, "received at QoS " + qos);
                    assertTrue(TestClients.metric("midge_messages_sent_total{qos=\"" + qos + "\"}")
                            >= sent[qos] + 1, "sent at QoS " + qos);
                }
                // Three PUBLISH packets of at least 20 bytes each way, besides CONNECT, SUBSCRIBE and acks.
                assertTrue(TestClients.metric("midge_network_received_bytes_total") >= bytesIn + 60);
                assertTrue(TestClients.metric("midge_network_sent_bytes_total") >= bytesOut + 60);
            });
        } finally {
            TestClients.closeQuietly(publisher);
            TestClients.closeQuietly(subscriber);
        }
    }

    @Test
    void retainedMessagesAreCounted() throws Exception {
        double retained = TestClients.metric("midge_retained_messages");
        Mqtt3BlockingClient publisher = TestClients.connect(listener.port(), "metrics-retainer", true);
        try {
            TestClients.publish(publisher, "metrics/retained/one", "kept", 1, true);
            await().atMost(WAIT).until(() -> TestClients.metric("midge_retained_messages") >= retained + 1);
            TestClients.publish(publisher, "metrics/retained/one", "", 1, true);
            await().atMost(WAIT).until(() -> TestClients.metric("midge_retained_messages") <= retained);
        } finally {
            TestClients.closeQuietly(publisher);
        }
    }

    @Test
    void qos0ForAnOfflineSessionIsCountedAsDropped() throws Exception {
        Mqtt3BlockingClient offline = TestClients.connect(listener.port(), "metrics-offline", false);
        TestClients.subscribe(offline, "metrics/offline", 0);
        offline.disconnect();
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/clients/metrics-offline").then()
                .statusCode(200).body("connected", equalTo(false)));
        double dropped = TestClients.metric("midge_messages_dropped_total{reason=\"qos0_offline\"}");
        Mqtt3BlockingClient publisher = TestClients.connect(listener.port(), "metrics-offline-publisher", true);
        try {
            TestClients.publish(publisher, "metrics/offline", "lost", 0, false);
            await().atMost(WAIT).until(() ->
                    TestClients.metric("midge_messages_dropped_total{reason=\"qos0_offline\"}") >= dropped + 1);
        } finally {
            TestClients.closeQuietly(publisher);
            // End the persistent session so it does not linger for other tests.
            TestClients.closeQuietly(TestClients.connect(listener.port(), "metrics-offline", true));
        }
    }
}
