package dev.midge.mqtt5;

import static dev.midge.mqtt5.RawMqtt5Client.PUBACK;
import static dev.midge.mqtt5.RawMqtt5Client.PUBLISH;
import static dev.midge.mqtt5.RawMqtt5Client.SUBACK;
import static dev.midge.mqtt5.RawMqtt5Client.USER_PROPERTY;
import static dev.midge.protocol.SmallLimitsProfile.MAX_SUBSCRIPTIONS_PER_CLIENT;
import static dev.midge.protocol.SmallLimitsProfile.MAX_TOPIC_LEVELS;
import static dev.midge.protocol.SmallLimitsProfile.MAX_USER_PROPERTIES;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.mqtt5.RawMqtt5Client.Props;
import dev.midge.protocol.SmallLimitsProfile;
import dev.midge.testing.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The limits against resource exhaustion, with the reason codes MQTT 5 clients hear. */
@QuarkusTest
@TestProfile(SmallLimitsProfile.class)
@Timeout(60)
class ExhaustionLimits5Test extends Mqtt5TestBase {

    private static final int QUOTA_EXCEEDED = 0x97;
    private static final int TOPIC_FILTER_INVALID = 0x8F;
    private static final int TOPIC_NAME_INVALID = 0x90;
    private static final int KEEP_ALIVE_TIMEOUT = 0x8D;

    private static Props userProperties(int count) {
        Props props = Props.none();
        for (int i = 0; i < count; i++) {
            props.with(USER_PROPERTY, new String[] {"k" + i, "v"});
        }
        return props;
    }

    @Test
    void aPublishWithMoreThanMaxUserPropertiesIsDisconnectedWithQuotaExceeded() throws Exception {
        RawMqtt5Client healthy = rawClient("exh5-props-healthy");
        healthy.subscribed("exh5/props", 1);
        RawMqtt5Client client = rawClient("exh5-props");
        client.publish("exh5/props", "at the limit", 1, 1, false, userProperties(MAX_USER_PROPERTIES));
        assertEquals(0, client.expect(PUBACK).reasonCode());
        client.publish("exh5/props", "over the limit", 1, 2, false, userProperties(MAX_USER_PROPERTIES + 1));
        client.expectDisconnect(QUOTA_EXCEEDED);
        receivedOnlyTheMessageAtTheLimit(healthy);
    }

    @Test
    void aWillWithMoreThanMaxUserPropertiesIsRefused() throws Exception {
        try (RawMqtt5Client client = new RawMqtt5Client(listener.port())) {
            client.connect("exh5-will", true, 60, Props.none(),
                    new RawMqtt5Client.Will("exh5/will", "gone", 0, false, userProperties(MAX_USER_PROPERTIES + 1)));
            client.expectConnectError(QUOTA_EXCEEDED);
        }
        rawClient("exh5-will-at-limit", Props.none(),
                new RawMqtt5Client.Will("exh5/will", "gone", 0, false, userProperties(MAX_USER_PROPERTIES)))
                .pingPong();
    }

    @Test
    void aSubscriptionOverTheLimitIsRefusedWithQuotaExceeded() throws Exception {
        RawMqtt5Client client = rawClient("exh5-subs");
        String[] filters = IntStream.range(0, MAX_SUBSCRIPTIONS_PER_CLIENT).mapToObj(i -> "exh5/subs/" + i)
                .toArray(String[]::new);
        client.subscribe(1, Props.none(), 1, filters);
        assertEquals(List.of(1, 1, 1, 1), client.expect(SUBACK).reasonCodes());
        client.subscribe(2, Props.none(), 1, "exh5/subs/3", "exh5/subs/extra");
        assertEquals(List.of(1, QUOTA_EXCEEDED), client.expect(SUBACK).reasonCodes());
        client.pingPong();
    }

    @Test
    void aFilterOverMaxTopicLevelsIsInvalidAndAPublishToSuchATopicIsDisconnected() throws Exception {
        RawMqtt5Client healthy = rawClient("exh5-levels-healthy");
        healthy.subscribed("exh5/levels/#", 1);
        String atLimit = "exh5/levels" + "/l".repeat(MAX_TOPIC_LEVELS - 2);
        String overLimit = atLimit + "/l";
        RawMqtt5Client client = rawClient("exh5-levels");
        String filterAtLimit = "exh5/filters" + "/+".repeat(MAX_TOPIC_LEVELS - 2);
        client.subscribe(1, Props.none(), 0, filterAtLimit, filterAtLimit + "/+");
        assertEquals(List.of(0, TOPIC_FILTER_INVALID), client.expect(SUBACK).reasonCodes());
        client.publish(atLimit, "at the limit", 1, 1, false, Props.none());
        assertEquals(0, client.expect(PUBACK).reasonCode());
        client.publish(overLimit, "over the limit", 1, 2, false, Props.none());
        client.expectDisconnect(TOPIC_NAME_INVALID);
        receivedOnlyTheMessageAtTheLimit(healthy);
    }

    @Test
    void aPacketTrickledInLongerThanThePacketReadTimeoutGetsKeepAliveTimeout() throws Exception {
        RawMqtt5Client client = rawClient("exh5-trickle");
        byte[] packet = RawMqttClient.packet(0x30, new RawMqttClient.Body().string("exh5/trickle").bytes(0)
                .raw(new byte[200]).toBytes());
        ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
        int[] next = {0};
        try {
            trickler.scheduleAtFixedRate(() -> {
                if (next[0] < packet.length) {
                    try {
                        client.send(packet[next[0]++] & 0xFF);
                    } catch (IOException e) {
                        // Closed by the broker: what the test waits for.
                    }
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            client.expectDisconnect(KEEP_ALIVE_TIMEOUT);
        } finally {
            trickler.shutdownNow();
        }
    }

    /** The healthy subscriber got the message at the limit, nothing of the one over it, and is still served. */
    private static void receivedOnlyTheMessageAtTheLimit(RawMqtt5Client healthy) throws IOException {
        RawMqtt5Client.Packet delivered = healthy.expect(PUBLISH);
        assertEquals("at the limit", delivered.payload());
        healthy.ack(PUBACK, delivered.publishPacketId());
        healthy.pingPong();
    }
}
