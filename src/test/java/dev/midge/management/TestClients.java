package dev.midge.management;

import static io.restassured.RestAssured.given;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/** HiveMQ MQTT 3.1.1 clients and Prometheus scrapes for the management tests. */
final class TestClients {

    private TestClients() {
    }

    static Mqtt3BlockingClient connect(int port, String clientId, boolean cleanSession) {
        Mqtt3BlockingClient client = Mqtt3Client.builder().identifier(clientId).serverHost("127.0.0.1")
                .serverPort(port).buildBlocking();
        client.connectWith().cleanSession(cleanSession).send();
        return client;
    }

    static void subscribe(Mqtt3BlockingClient client, String filter, int qos) {
        subscribe(client, filter, qos, (topic, publish) -> {
        });
    }

    /** Subscribes and waits for the SUBACK; each message that matches goes to onMessage with its topic. */
    static void subscribe(Mqtt3BlockingClient client, String filter, int qos,
            BiConsumer<String, Mqtt3Publish> onMessage) {
        client.toAsync().subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos))
                .callback(publish -> onMessage.accept(publish.getTopic().toString(), publish)).send().join();
    }

    /** Publishes, for QoS 1 and 2 waiting until the broker has acknowledged. */
    static void publish(Mqtt3BlockingClient client, String topic, String payload, int qos, boolean retain) {
        client.publishWith().topic(topic).payload(payload.getBytes(StandardCharsets.UTF_8)).qos(MqttQos.fromCode(qos))
                .retain(retain).send();
    }

    static String payload(Mqtt3Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    static void closeQuietly(Mqtt3BlockingClient client) {
        try {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        } catch (RuntimeException e) {
            // The test is over; a client the broker already closed may complain.
        }
    }

    /** The value of one series in the Prometheus text at /q/metrics, e.g. {@code midge_sessions}. */
    static double metric(String series) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no series " + series + " in /q/metrics");
    }
}
