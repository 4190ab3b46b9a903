package dev.midge.mqtt5;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** HiveMQ MQTT 5 clients for tests, each with the messages it receives; all disconnected by {@link #close}. */
final class Mqtt5Clients implements AutoCloseable {

    /** A client and the messages it receives, from before it connects (so a resumed session's messages too). */
    static final class Client {
        final Mqtt5BlockingClient mqtt;
        private final Mqtt5Publishes publishes;

        private Client(Mqtt5BlockingClient mqtt) {
            this.mqtt = mqtt;
            this.publishes = mqtt.publishes(MqttGlobalPublishFilter.ALL);
        }

        /** The next message received, waiting up to 10 s; fails when none comes. */
        Mqtt5Publish next() throws InterruptedException {
            return publishes.receive(10, TimeUnit.SECONDS)
                    .orElseThrow(() -> new AssertionError(mqtt.getConfig().getClientIdentifier()
                            .map(Object::toString).orElse("client") + " received no message within 10 s"));
        }

        String nextPayload() throws InterruptedException {
            return payload(next());
        }

        void subscribe(String filter, int qos) {
            mqtt.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos)).send();
        }

        void publish(String topic, String payload, int qos) {
            mqtt.publishWith().topic(topic).payload(payload.getBytes(UTF_8)).qos(MqttQos.fromCode(qos)).send();
        }
    }

    private final int port;
    private final List<Client> clients = new ArrayList<>();

    Mqtt5Clients(int port) {
        this.port = port;
    }

    static String payload(Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), UTF_8);
    }

    /** A client not yet connected: connect it with {@code client.mqtt.connectWith()...}. */
    Client create(String clientId) {
        Client client = new Client(Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1")
                .serverPort(port).buildBlocking());
        clients.add(client);
        return client;
    }

    /** A client connected with Clean Start and Session Expiry Interval 0. */
    Client connect(String clientId) {
        Client client = create(clientId);
        client.mqtt.connect();
        return client;
    }

    @Override
    public void close() {
        for (Client client : clients) {
            try {
                if (client.mqtt.getState().isConnected()) {
                    client.mqtt.disconnect();
                }
            } catch (RuntimeException e) {
                // Already gone: nothing to release.
            }
            client.publishes.close();
        }
    }
}
