package dev.midge.testing;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * HiveMQ MQTT 3.1.1 clients for tests, each with a queue of the messages it received. (Paho's client sleeps
 * 300 ms in every connect; its interoperability has tests of its own.)
 */
public final class Mqtt3Clients implements AutoCloseable {

    /** How long {@link Client#next()} waits for a message. */
    private static final int WAIT_SECONDS = 10;

    /** A message as a subscriber received it (the client library does not show the DUP flag). */
    public record Received(String topic, String payload, int qos, boolean retained) {
    }

    /** How a client connects; by default with a clean session to the plain listener, keepalive 60 s. */
    public static final class Options {
        private boolean cleanSession = true;
        private int keepAlive = 60;
        private int port = -1;
        private String username;
        private String password;
        private Received will;
        private MqttClientSslConfig tls;
        private String webSocketPath;

        public Options cleanSession(boolean clean) {
            this.cleanSession = clean;
            return this;
        }

        public Options keepAlive(int seconds) {
            this.keepAlive = seconds;
            return this;
        }

        /** Another port of the broker than the plain listener's. */
        public Options port(int port) {
            this.port = port;
            return this;
        }

        /** User name and password; a null password sends the user name alone. */
        public Options login(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        public Options will(String topic, String payload, int qos, boolean retained) {
            this.will = new Received(topic, payload, qos, retained);
            return this;
        }

        public Options tls(MqttClientSslConfig tls) {
            this.tls = tls;
            return this;
        }

        /** MQTT over WebSocket at the path, without its leading slash (e.g. {@code mqtt}). */
        public Options webSocket(String path) {
            this.webSocketPath = path;
            return this;
        }
    }

    /** A connected client and what it received. */
    public static final class Client {
        public final Mqtt3BlockingClient mqtt;
        private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        private volatile boolean sessionPresent;

        Client(Mqtt3BlockingClient mqtt) {
            this.mqtt = mqtt;
            // Registered before CONNECT so that a resumed session's queued messages are caught too; the callback
            // runs on the connection's single event loop thread, so the queue keeps the order of arrival.
            mqtt.toAsync().publishes(MqttGlobalPublishFilter.ALL, publish -> received.add(new Received(
                    publish.getTopic().toString(), new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8),
                    publish.getQos().getCode(), publish.isRetain())));
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

        public boolean isConnected() {
            return mqtt.getState().isConnected();
        }

        /** Publishes, for QoS 1 and 2 waiting until the broker has acknowledged. */
        public void publish(String topic, String payload, int qos, boolean retained) {
            mqtt.publishWith().topic(topic).payload(payload.getBytes(StandardCharsets.UTF_8))
                    .qos(MqttQos.fromCode(qos)).retain(retained).send();
        }

        /** Subscribes and waits for the SUBACK; fails when the broker refuses the subscription. */
        public void subscribe(String filter, int qos) {
            mqtt.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos)).send();
        }

        /** Subscribes and returns the SUBACK's return code: the granted QoS or 0x80. */
        public int granted(String filter, int qos) {
            Mqtt3SubAck ack;
            try {
                ack = mqtt.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos)).send();
            } catch (Mqtt3SubAckException refused) {
                ack = refused.getMqttMessage();
            }
            return ack.getReturnCodes().get(0).getCode();
        }

        public void unsubscribe(String filter) {
            mqtt.unsubscribeWith().topicFilter(filter).send();
        }

        /** Sends DISCONNECT (so no will) and closes the connection. */
        public void disconnect() {
            mqtt.disconnect();
        }
    }

    private final int port;
    private final List<Client> clients = new ArrayList<>();

    public Mqtt3Clients(int port) {
        this.port = port;
    }

    public static Options options() {
        return new Options();
    }

    public Client connect(String clientId) {
        return connect(clientId, true);
    }

    public Client connect(String clientId, boolean cleanSession) {
        return connect(clientId, options().cleanSession(cleanSession));
    }

    /** Connects and returns the client; a refused CONNACK throws the library's Mqtt3ConnAckException. */
    public Client connect(String clientId, Options options) {
        Mqtt3ClientBuilder builder = Mqtt3Client.builder().identifier(clientId).serverHost("127.0.0.1")
                .serverPort(options.port < 0 ? port : options.port);
        if (options.tls != null) {
            builder.sslConfig(options.tls);
        }
        if (options.webSocketPath != null) {
            builder.webSocketConfig().serverPath(options.webSocketPath).applyWebSocketConfig();
        }
        Client client = new Client(builder.buildBlocking());
        var connect = client.mqtt.connectWith().cleanSession(options.cleanSession).keepAlive(options.keepAlive);
        if (options.username != null) {
            var auth = connect.simpleAuth().username(options.username);
            if (options.password != null) {
                auth.password(options.password.getBytes(StandardCharsets.UTF_8));
            }
            auth.applySimpleAuth();
        }
        if (options.will != null) {
            connect.willPublish().topic(options.will.topic())
                    .payload(options.will.payload().getBytes(StandardCharsets.UTF_8))
                    .qos(MqttQos.fromCode(options.will.qos())).retain(options.will.retained()).applyWillPublish();
        }
        client.sessionPresent = connect.send().isSessionPresent();
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        for (Client client : clients) {
            try {
                if (client.isConnected()) {
                    client.disconnect();
                }
            } catch (RuntimeException e) {
                // Already gone: nothing to say goodbye to.
            }
        }
        clients.clear();
    }
}
