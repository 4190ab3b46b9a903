package dev.midge.management;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import dev.midge.message.TopicFilter;
import dev.midge.routing.Router;
import dev.midge.transport.MqttListener;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The $SYS/broker topics, as a real subscriber receives them, published every second in this profile. */
@QuarkusTest
@TestProfile(OperationsEnabledProfile.class)
@Timeout(60)
class SysTopicsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    MqttListener listener;

    @Inject
    SysTopicsPublisher sysTopics;

    @Inject
    Router router;

    @Test
    void subscriberGetsTheStatisticsRetainedAndKeptCurrent() throws Exception {
        Map<String, String> latest = new ConcurrentHashMap<>();
        Map<String, Boolean> retained = new ConcurrentHashMap<>();
        Mqtt3BlockingClient subscriber = TestClients.connect(listener.port(), "sys-subscriber", true);
        Mqtt3BlockingClient publisher = TestClients.connect(listener.port(), "sys-publisher", true);
        try {
            TestClients.subscribe(subscriber, "$SYS/#", 0, (topic, message) -> {
                latest.put(topic, TestClients.payload(message));
                retained.putIfAbsent(topic, message.isRetain());
            });
            await().atMost(WAIT).until(() -> latest.keySet().containsAll(List.of(
                    "$SYS/broker/version", "$SYS/broker/uptime", "$SYS/broker/clients/connected",
                    "$SYS/broker/messages/received", "$SYS/broker/messages/sent",
                    "$SYS/broker/subscriptions/count", "$SYS/broker/retained messages/count")));
            assertTrue(latest.get("$SYS/broker/version").startsWith("midge version "));
            assertTrue(latest.get("$SYS/broker/uptime").matches("\\d+ seconds"));
            // What was already there when it subscribed came as retained messages.
            assertEquals(Boolean.TRUE, retained.get("$SYS/broker/version"));

            long received = Long.parseLong(latest.get("$SYS/broker/messages/received"));
            TestClients.publish(publisher, "sys/counted", "x", 0, false);
            await().atMost(WAIT).until(() ->
                    Long.parseLong(latest.get("$SYS/broker/messages/received")) >= received + 1);
            await().atMost(WAIT).until(() -> Long.parseLong(latest.get("$SYS/broker/clients/connected")) >= 2
                    && Long.parseLong(latest.get("$SYS/broker/subscriptions/count")) >= 1
                    && Long.parseLong(latest.get("$SYS/broker/retained messages/count")) >= 7);
        } finally {
            TestClients.closeQuietly(publisher);
            TestClients.closeQuietly(subscriber);
        }
    }

    @Test
    void wildcardSubscribersDoNotGetThem() throws Exception {
        Map<String, String> got = new ConcurrentHashMap<>();
        Mqtt3BlockingClient subscriber = TestClients.connect(listener.port(), "sys-wildcard", true);
        Mqtt3BlockingClient publisher = TestClients.connect(listener.port(), "sys-wildcard-publisher", true);
        try {
            TestClients.subscribe(subscriber, "#", 0, (topic, message) -> got.put(topic, "x"));
            TestClients.publish(publisher, "sys/marker", "x", 0, false);
            await().atMost(WAIT).until(() -> got.containsKey("sys/marker"));
            // Two more $SYS rounds pass this subscriber by.
            await().during(Duration.ofMillis(2_500)).atMost(WAIT)
                    .until(() -> got.keySet().stream().noneMatch(t -> t.startsWith("$")));
        } finally {
            TestClients.closeQuietly(publisher);
            TestClients.closeQuietly(subscriber);
        }
    }

    @Test
    void aReloadOfRetainAvailableCountsFromTheNextPublication() throws Exception {
        Map<String, String> latest = new ConcurrentHashMap<>();
        Mqtt3BlockingClient subscriber = TestClients.connect(listener.port(), "sys-retain-reload", true);
        try {
            TestClients.subscribe(subscriber, "$SYS/broker/uptime", 0,
                    (topic, message) -> latest.put(topic, TestClients.payload(message)));
            await().atMost(WAIT).until(() -> uptime(latest) > 0);
            sysTopics.retainAvailable(false);
            // Past a publication that may have been under way as it changed.
            long after = uptime(latest) + 3;
            await().atMost(WAIT).until(() -> uptime(latest) >= after);
            String kept = retainedUptime();
            await().atMost(WAIT).until(() -> uptime(latest) >= after + 2);
            assertEquals(kept, retainedUptime(), "published, not retained");

            sysTopics.retainAvailable(true);
            await().atMost(WAIT).until(() -> !retainedUptime().equals(kept));
        } finally {
            sysTopics.retainAvailable(true);
            TestClients.closeQuietly(subscriber);
        }
    }

    /** The seconds of the latest uptime publication the subscriber got, 0 before any. */
    private static long uptime(Map<String, String> latest) {
        String value = latest.get("$SYS/broker/uptime");
        return value == null ? 0 : Long.parseLong(value.substring(0, value.indexOf(' ')));
    }

    private String retainedUptime() {
        return new String(router.retained().matching(TopicFilter.of("$SYS/broker/uptime"), 1).get(0).payload(),
                StandardCharsets.UTF_8);
    }
}
