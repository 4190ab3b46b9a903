package dev.midge.protocol;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.Mqtt3Clients.Client;
import dev.midge.testing.Mqtt3Clients.Received;
import dev.midge.testing.RawMqttClient;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The will message (MQTT 3.1.1 section 3.1.2.5): published when the connection ends without DISCONNECT. */
@QuarkusTest
@Timeout(30)
class WillTest extends BrokerTestBase {

    @Test
    void willIsPublishedWhenTheSocketClosesWithoutDisconnect() throws Exception {
        Client watcher = mqtt3.connect("will-abrupt-watcher");
        watcher.subscribe("will/abrupt", 1);
        RawMqttClient doomed = raw();
        doomed.connect("will-abrupt", true, 60, "will/abrupt", "gone");
        doomed.connAck();
        doomed.close();
        assertEquals(new Received("will/abrupt", "gone", 0, false), watcher.next());
    }

    @Test
    void willIsPublishedWhenTheKeepaliveExpires() throws Exception {
        Client watcher = mqtt3.connect("will-ka-watcher");
        watcher.subscribe("will/keepalive", 1);
        RawMqttClient silent = raw();
        silent.connect("will-ka", true, 1, "will/keepalive", "timed out");
        silent.connAck();
        long connected = System.nanoTime();
        AtomicReference<Received> will = new AtomicReference<>();
        // 1.5 x the 1 s keepalive, and slack for a loaded machine.
        await().atMost(Duration.ofMillis(1_500 + 2_000)).pollInterval(Duration.ofMillis(20))
                .until(() -> will.updateAndGet(w -> w != null ? w : watcher.poll()) != null);
        long elapsedMillis = (System.nanoTime() - connected) / 1_000_000;
        assertEquals("timed out", will.get().payload());
        assertTrue(elapsedMillis >= 1_000, "the client may stay silent for its whole keepalive; cut after "
                + elapsedMillis + " ms");
        assertTrue(silent.closedWithin(5_000), "the silent connection is closed");
    }

    @Test
    void noWillAfterACleanDisconnect() throws Exception {
        Client watcher = mqtt3.connect("will-polite-watcher");
        watcher.subscribe("will/polite", 1);
        RawMqttClient polite = raw();
        polite.connect("will-polite", true, 60, "will/polite", "must not appear");
        polite.connAck();
        polite.disconnect();
        assertTrue(polite.closedWithin(5_000), "the server closes after DISCONNECT");
        mqtt3.connect("will-polite-pub").publish("will/polite", "marker", 1, false);
        assertEquals(List.of(), watcher.receivedBefore("marker"));
    }
}
