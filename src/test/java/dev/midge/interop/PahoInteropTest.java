package dev.midge.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.BrokerTestBase;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The broker with the Eclipse Paho MQTT 3.1.1 client over plain TCP. The other tests use another client library,
 * so this is also where first deliveries are seen to carry DUP 0, a flag only Paho shows.
 */
@QuarkusTest
@Timeout(60)
class PahoInteropTest extends BrokerTestBase {

    private record Received(String topic, String payload, int qos, boolean retained, boolean duplicate) {
    }

    /** A connected Paho client and the messages it received, in order. */
    private record Paho(MqttClient mqtt, BlockingQueue<Received> received, boolean sessionPresent) {

        Received next() throws InterruptedException {
            Received r = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(r, mqtt.getClientId() + " received no message within 10 s");
            return r;
        }

        void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
            mqtt.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
        }
    }

    private final List<MqttClient> opened = new ArrayList<>();

    @AfterEach
    void closePaho() throws MqttException {
        for (MqttClient mqtt : opened) {
            if (mqtt.isConnected()) {
                mqtt.disconnectForcibly(0, 1_000, false);
            }
            mqtt.close(true);
        }
        opened.clear();
    }

    private static MqttConnectOptions options(boolean cleanSession) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(cleanSession);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(false);
        return options;
    }

    private Paho connect(String clientId, MqttConnectOptions options) throws MqttException {
        MqttClient mqtt = new MqttClient("tcp://127.0.0.1:" + listener.port(), clientId, new MemoryPersistence());
        opened.add(mqtt);
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        mqtt.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                        message.getQos(), message.isRetained(), message.isDuplicate()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        return new Paho(mqtt, received, mqtt.connectWithResult(options).getSessionPresent());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void publishAndSubscribeRoundTrip(int qos) throws Exception {
        String topic = "paho/rt/" + qos;
        Paho sub = connect("paho-rt-sub-" + qos, options(true));
        sub.mqtt().subscribe(topic, qos);
        connect("paho-rt-pub-" + qos, options(true)).publish(topic, "hello " + qos, qos, false);
        assertEquals(new Received(topic, "hello " + qos, qos, false, false), sub.next(), "first delivery: DUP 0");
    }

    @Test
    void aPersistentSessionResumesWithTheMessagesQueuedWhileOffline() throws Exception {
        Paho sub = connect("paho-session", options(false));
        assertFalse(sub.sessionPresent(), "a new client id has no session");
        sub.mqtt().subscribe("paho/session", 2);
        sub.mqtt().disconnect();
        Paho pub = connect("paho-session-pub", options(true));
        pub.publish("paho/session", "q1", 1, false);
        pub.publish("paho/session", "q2", 2, false);
        Paho back = connect("paho-session", options(false));
        assertTrue(back.sessionPresent(), "session present");
        assertEquals(new Received("paho/session", "q1", 1, false, false), back.next());
        assertEquals(new Received("paho/session", "q2", 2, false, false), back.next());
    }

    @Test
    void aRetainedMessageReachesALaterSubscriber() throws Exception {
        connect("paho-retain-pub", options(true)).publish("paho/retained", "kept", 1, true);
        Paho sub = connect("paho-retain-sub", options(true));
        sub.mqtt().subscribe("paho/retained", 1);
        assertEquals(new Received("paho/retained", "kept", 1, true, false), sub.next());
    }

    @Test
    void theWillIsPublishedWhenTheConnectionEndsWithoutDisconnect() throws Exception {
        Paho watcher = connect("paho-will-watcher", options(true));
        watcher.mqtt().subscribe("paho/will", 1);
        MqttConnectOptions withWill = options(true);
        withWill.setWill("paho/will", "gone".getBytes(StandardCharsets.UTF_8), 1, false);
        Paho doomed = connect("paho-will", withWill);
        doomed.mqtt().disconnectForcibly(0, 1_000, false);
        assertEquals(new Received("paho/will", "gone", 1, false, false), watcher.next());
    }

    @Test
    void anMqtt31ClientPublishesAndSubscribes() throws Exception {
        MqttConnectOptions options = options(true);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1);
        Paho v31 = connect("connect-31-paho", options);
        v31.mqtt().subscribe("connect/v31", 1);
        v31.publish("connect/v31", "from 3.1", 1, false);
        assertEquals(new Received("connect/v31", "from 3.1", 1, false, false), v31.next());
    }
}
