package dev.midge.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Paho MQTT 3.1.1 clients for tests, each with a queue of the messages it received. */
public final class PahoClients implements AutoCloseable {

    /** A message as a subscriber received it. */
    public record Received(String topic, String payload, int qos, boolean retained, boolean duplicate) {
    }

    /** A connected client and what it received. */
    public static final class Client {
        public final MqttClient mqtt;
        private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

        Client(MqttClient mqtt) {
            this.mqtt = mqtt;
        }

        /** The next message received, waiting up to 10 s; fails when none comes. */
        public Received next() throws InterruptedException {
            Received r = received.poll(10, TimeUnit.SECONDS);
            if (r == null) {
                throw new AssertionError("no message within 10 s");
            }
            return r;
        }

        public void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
            mqtt.publish(topic, payload.getBytes(), qos, retained);
        }

        public void subscribe(String filter, int qos) throws MqttException {
            mqtt.subscribe(filter, qos);
        }
    }

    private final int port;
    private final List<Client> clients = new ArrayList<>();

    public PahoClients(int port) {
        this.port = port;
    }

    public Client connect(String clientId) throws MqttException {
        return connect(clientId, true);
    }

    public Client connect(String clientId, boolean cleanSession) throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(cleanSession);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(false);
        return connect(clientId, options);
    }

    public Client connect(String clientId, MqttConnectOptions options) throws MqttException {
        return connect("tcp://127.0.0.1:" + port, clientId, options);
    }

    /** Connects to a server URI of its own, such as {@code ssl://127.0.0.1:8883}. */
    public Client connect(String serverUri, String clientId, MqttConnectOptions options) throws MqttException {
        MqttClient mqtt = new MqttClient(serverUri, clientId, new MemoryPersistence());
        Client client = new Client(mqtt);
        mqtt.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                client.received.add(new Received(topic, new String(message.getPayload()), message.getQos(),
                        message.isRetained(), message.isDuplicate()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        mqtt.connect(options);
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        for (Client client : clients) {
            try {
                if (client.mqtt.isConnected()) {
                    client.mqtt.disconnect(1_000);
                }
                client.mqtt.close(true);
            } catch (MqttException e) {
                // Already gone: nothing to release.
            }
        }
    }
}
