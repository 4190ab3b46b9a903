package dev.midge.bridge;

import static dev.midge.testing.RawMqttClient.PUBLISH;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.RawMqttClient;
import dev.midge.testing.RawMqttClient.Packet;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An integration on SmallRye's in-memory connector, configured by properties alone: sensors go out to its
 * channel under the prefix site1/, commands come in from it, chat crosses both ways and never comes back out.
 */
@QuarkusTest
@TestProfile(IntegrationsProfile.class)
@Timeout(60)
class IntegrationTest extends BrokerTestBase {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector connector;

    private InMemorySink<byte[]> sink;

    @BeforeEach
    void clearSink() {
        sink = connector.sink("midge-stream-out");
        sink.clear();
    }

    @Test
    void aLocalMessageOnAnOutTopicGoesToTheChannelWithItsRemoteTopic() throws Exception {
        try (RawMqttClient pub = raw()) {
            pub.connectAccepted("int-pub", true);
            pub.publish("sensors/t1", "21.5", 1, 1, false);
            pub.expect(RawMqttClient.PUBACK);
            pub.publish("elsewhere/t1", "not bridged", 0, 0, false);
            pub.publish("sensors/t2", "22.0", 0, 0, false);
        }
        await().atMost(WAIT).until(() -> sink.received().size() >= 2);
        List<? extends Message<byte[]>> got = sink.received();
        assertEquals(2, got.size(), "elsewhere/ is not an out topic");
        assertArrayEquals("21.5".getBytes(StandardCharsets.UTF_8), got.get(0).getPayload());
        assertEquals(new MqttTopic("site1/sensors/t1", 1, false),
                got.get(0).getMetadata(MqttTopic.class).orElseThrow());
        assertEquals("site1/sensors/t2", got.get(1).getMetadata(MqttTopic.class).orElseThrow().topic());
    }

    @Test
    void aMessageFromTheChannelIsPublishedHereUnderItsLocalTopic() throws Exception {
        try (RawMqttClient sub = raw()) {
            sub.connectAccepted("int-sub", true);
            sub.subscribe(1, "cmd/#", 1);
            sub.subAck(1);
            connector.source("midge-stream-in").send(Message.of("reboot".getBytes(StandardCharsets.UTF_8),
                    Metadata.of(new MqttTopic("site1/cmd/reboot", 1, false))));
            Packet got = sub.expect(PUBLISH);
            assertEquals("cmd/reboot", got.topic());
            assertEquals("reboot", got.payload());
            assertEquals(1, got.qos(), "the QoS of the topic line");
        }
    }

    @Test
    void whatComesInThroughTheIntegrationNeverGoesBackOut() throws Exception {
        try (RawMqttClient sub = raw(); RawMqttClient pub = raw()) {
            sub.connectAccepted("int-chat", true);
            sub.subscribe(1, "chat/#", 0);
            sub.subAck(1);
            connector.source("midge-stream-in").send(Message.of("from afar".getBytes(StandardCharsets.UTF_8),
                    Metadata.of(new MqttTopic("chat/room", 0, false))));
            assertEquals("from afar", sub.expect(PUBLISH).payload());
            // A local message after it: once it is out, the one that came in would have been out before it.
            pub.connectAccepted("int-chat-pub", true);
            pub.publish("chat/room", "from here", 0, 0, false);
            await().atMost(WAIT).until(() -> !sink.received().isEmpty());
            assertEquals(1, sink.received().size());
            assertArrayEquals("from here".getBytes(StandardCharsets.UTF_8), sink.received().get(0).getPayload());
        }
    }

    @Test
    void itsMessagesAreCountedUnderItsName() throws Exception {
        double before = meter("direction=\"out\"");
        try (RawMqttClient pub = raw()) {
            pub.connectAccepted("int-count", true);
            pub.publish("sensors/count", "1", 0, 0, false);
        }
        // The in-memory sink acknowledges what it receives, and an acknowledged message counts as out.
        await().atMost(WAIT).until(() -> meter("direction=\"out\"") == before + 1);
    }

    private static double meter(String direction) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        String line = "midge_bridge_messages_total{bridge=\"stream\"," + direction + "} ";
        int at = body.indexOf(line);
        return at < 0 ? 0 : Double.parseDouble(body.substring(at + line.length(), body.indexOf('\n', at)).trim());
    }
}
