package dev.midge.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Paho MQTT 3.1.1 clients for tests, each with a queue of the messages it received. */
public final class PahoClients implements AutoCloseable {

    /** How long {@link Client#next()} waits for a message. */
    private static final int WAIT_SECONDS = 10;

    /** A message as a subscriber received it. */
    public record Received(String topic, String payload, int qos, boolean retained, boolean duplicate) {
    }

    /** A connected client and what it received. */
    public static final class Client {
        public final MqttClient mqtt;
        private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        private volatile boolean sessionPresent;

        Client(MqttClient mqtt) {
            this.mqtt = mqtt;
        }

        /** The next message received, waiting up to 10 s; fails when none comes. */
        public Received next() throws InterruptedException {
            Received r = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (r == null) {
                throw new AssertionError("no message within " + WAIT_SECONDS + " s");
            }
            return r;
        }

        /** The next message if one has already arrived, else null; never waits. */
        public Received poll() {
            return received.poll();
        }

        /**
         * Waits for the message with the given payload and returns every message received before it: the way to
         * show that something did not arrive is to send a marker after it on the same path and see the marker
         * come first.
         */
        public List<Received> receivedBefore(String markerPayload) throws InterruptedException {
            List<Received> before = new ArrayList<>();
            while (true) {
                Received r = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                if (r == null) {
                    throw new AssertionError("marker '" + markerPayload + "' not received within " + WAIT_SECONDS
                            + " s; received before it: " + before);
                }
                if (r.payload().equals(markerPayload)) {
                    return before;
                }
                before.add(r);
            }
        }

        /** Whether the CONNACK said the server had a session for this client id. */
        public boolean sessionPresent() {
            return sessionPresent;
        }

        public void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
            mqtt.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
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

    /** MQTT 3.1.1 options: the given clean session flag, no automatic reconnect. */
    public static MqttConnectOptions options(boolean cleanSession) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(cleanSession);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(false);
        return options;
    }

    public Client connect(String clientId) throws MqttException {
        return connect(clientId, true);
    }

    public Client connect(String clientId, boolean cleanSession) throws MqttException {
        return connect(clientId, options(cleanSession));
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
                client.received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                        message.getQos(), message.isRetained(), message.isDuplicate()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        try {
            IMqttToken token = mqtt.connectWithResult(options);
            client.sessionPresent = token.getSessionPresent();
        } catch (MqttException | RuntimeException e) {
            mqtt.close(true);
            throw e;
        }
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
            } catch (MqttException e) {
                // Already gone: nothing to say goodbye to.
            }
            try {
                client.mqtt.close(true);
            } catch (MqttException e) {
                // Nothing left to release.
            }
        }
        clients.clear();
    }
}
