package dev.midge.mqtt5;

import static dev.midge.mqtt5.RawMqtt5Client.PAYLOAD_FORMAT_INDICATOR;
import static dev.midge.mqtt5.RawMqtt5Client.PUBACK;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.midge.mqtt5.Mqtt5Clients.Client;
import dev.midge.mqtt5.RawMqtt5Client.Packet;
import dev.midge.mqtt5.RawMqtt5Client.Props;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PUBLISH properties the server forwards unchanged (3.3.2.3), and the payload format check. */
@QuarkusTest
@Timeout(30)
class MessagePropertiesTest extends Mqtt5TestBase {

    private static final ByteBuffer CORRELATION = ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xFE, (byte) 0xFF});

    /**
     * Request/response (4.10): Payload Format Indicator (MQTT-3.3.2-4), Content Type (MQTT-3.3.2-20), Response
     * Topic (MQTT-3.3.2-15), Correlation Data (MQTT-3.3.2-16) and User Properties, repeated names and order
     * included (MQTT-3.3.2-17/18), reach the responder unchanged; its answer reaches the requester.
     */
    @Test
    void requestAndResponsePropertiesPassThroughUnchanged() throws Exception {
        Client requester = clients.connect("props-requester");
        requester.subscribe("props/response/requester", 1);
        Client responder = clients.connect("props-responder");
        responder.subscribe("props/request", 1);

        requester.mqtt.publishWith().topic("props/request").qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"ask\":1}".getBytes(UTF_8))
                .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                .contentType("application/json")
                .responseTopic("props/response/requester")
                .correlationData(CORRELATION.duplicate())
                .userProperties().add("trace", "t-1").add("hop", "a").add("hop", "b").applyUserProperties()
                .send();

        Mqtt5Publish request = responder.next();
        assertEquals("{\"ask\":1}", Mqtt5Clients.payload(request));
        assertEquals(Optional.of(Mqtt5PayloadFormatIndicator.UTF_8), request.getPayloadFormatIndicator());
        assertEquals("application/json", request.getContentType().orElseThrow().toString());
        assertEquals("props/response/requester", request.getResponseTopic().orElseThrow().toString());
        assertEquals(CORRELATION, request.getCorrelationData().orElseThrow());
        assertEquals(List.of("trace=t-1", "hop=a", "hop=b"), request.getUserProperties().asList().stream()
                .map(p -> p.getName() + "=" + p.getValue()).toList());

        responder.mqtt.publishWith().topic(request.getResponseTopic().orElseThrow())
                .correlationData(request.getCorrelationData().orElseThrow()).qos(MqttQos.AT_LEAST_ONCE)
                .payload("answer".getBytes(UTF_8)).send();
        Mqtt5Publish response = requester.next();
        assertEquals("answer", Mqtt5Clients.payload(response));
        assertEquals(CORRELATION, response.getCorrelationData().orElseThrow());
    }

    /** Payload Format Indicator 1 with a payload that is not UTF-8: PUBACK 0x99 (3.3.2.3.2), nothing forwarded. */
    @Test
    void anInvalidUtf8PayloadIsRefusedWithPayloadFormatInvalid() throws Exception {
        Client watcher = clients.connect("props-pfi-watcher");
        watcher.subscribe("props/pfi", 1);
        try (RawMqtt5Client pub = rawClient("props-pfi")) {
            pub.publish("props/pfi", new byte[] {'o', 'k', (byte) 0xC3, 0x28}, 1, 7, false,
                    Props.of(PAYLOAD_FORMAT_INDICATOR, 1));
            Packet pubAck = pub.expect(PUBACK);
            assertEquals(7, pubAck.packetId());
            assertEquals(0x99, pubAck.reasonCode(), pubAck.toString());
            pub.publish("props/pfi", "marker", 1, 8, false, Props.of(PAYLOAD_FORMAT_INDICATOR, 1));
            assertEquals(0, pub.expect(PUBACK).reasonCode());
        }
        assertEquals("marker", watcher.nextPayload(), "the refused message is not forwarded");
    }
}
