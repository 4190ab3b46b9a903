package dev.midge.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.transport.MqttListener;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The broker against the real mosquitto_sub and mosquitto_pub binaries. */
@QuarkusTest
@Timeout(60)
class MosquittoClientsInteropTest {

    @Inject
    MqttListener listener;

    private String port() {
        return String.valueOf(listener.port());
    }

    /** The quick check every Mosquitto user knows: subscribe to juniper, publish "Hello World!", it arrives. */
    @Test
    void helloWorldOnJuniper() throws Exception {
        try (MosquittoClient sub = MosquittoClient.start("mosquitto_sub", "-h", "127.0.0.1", "-p", port(),
                "-t", "juniper", "-C", "1", "-W", "30", "-d")) {
            sub.awaitLine("SUBACK", 10);
            publish("-t", "juniper", "-m", "Hello World!");
            sub.awaitLine("Hello World!", 10);
            sub.assertExits(0, 10);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2"})
    void qualityOfService(String qos) throws Exception {
        String topic = "interop/qos" + qos;
        try (MosquittoClient sub = MosquittoClient.start("mosquitto_sub", "-h", "127.0.0.1", "-p", port(),
                "-t", topic, "-q", qos, "-C", "1", "-W", "30", "-d")) {
            sub.awaitLine("SUBACK", 10);
            publish("-t", topic, "-q", qos, "-m", "at qos " + qos);
            String received = sub.awaitLine("PUBLISH", 10);
            assertEquals(true, received.contains("q" + qos), received);
            sub.awaitLine("at qos " + qos, 10);
            sub.assertExits(0, 10);
        }
    }

    @Test
    void retainedMessageReachesALaterSubscriber() throws Exception {
        publish("-t", "interop/retained", "-r", "-q", "1", "-m", "kept");
        try (MosquittoClient sub = MosquittoClient.start("mosquitto_sub", "-h", "127.0.0.1", "-p", port(),
                "-t", "interop/#", "-C", "1", "-W", "30", "-v", "-F", "%r %t %p")) {
            sub.awaitLine("1 interop/retained kept", 10);
            sub.assertExits(0, 10);
        } finally {
            publish("-t", "interop/retained", "-r", "-n");
        }
    }

    @Test
    void willOfAKilledClientIsPublished() throws Exception {
        try (MosquittoClient watcher = MosquittoClient.start("mosquitto_sub", "-h", "127.0.0.1", "-p", port(),
                "-t", "interop/will", "-C", "1", "-W", "30", "-d")) {
            watcher.awaitLine("SUBACK", 10);
            try (MosquittoClient doomed = MosquittoClient.start("mosquitto_sub", "-h", "127.0.0.1", "-p", port(),
                    "-t", "interop/unused", "-d", "--will-topic", "interop/will", "--will-payload", "gone")) {
                doomed.awaitLine("SUBACK", 10);
                doomed.kill();
            }
            watcher.awaitLine("gone", 10);
            watcher.assertExits(0, 10);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv31", "mqttv311", "mqttv5"})
    void everyProtocolVersion(String version) throws Exception {
        String topic = "interop/" + version;
        try (MosquittoClient sub = MosquittoClient.start("mosquitto_sub", "-h", "127.0.0.1", "-p", port(),
                "-V", version, "-t", topic, "-C", "1", "-W", "30", "-d")) {
            sub.awaitLine("SUBACK", 10);
            publish("-V", version, "-t", topic, "-q", "1", "-m", "over " + version);
            sub.awaitLine("over " + version, 10);
            sub.assertExits(0, 10);
        }
    }

    private void publish(String... args) throws Exception {
        String[] all = new String[args.length + 4];
        all[0] = "-h";
        all[1] = "127.0.0.1";
        all[2] = "-p";
        all[3] = port();
        System.arraycopy(args, 0, all, 4, args.length);
        try (MosquittoClient pub = MosquittoClient.start("mosquitto_pub", all)) {
            pub.assertExits(0, 10);
        }
    }
}
