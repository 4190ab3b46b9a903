package dev.midge.lifecycle;

import static dev.midge.testing.RawMqttClient.PUBACK;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.limits.LimitKind;
import dev.midge.limits.Limits;
import dev.midge.testing.BrokerTestBase;
import dev.midge.testing.RawMqttClient;
import dev.midge.tls.BridgeTlsTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGHUP reads midge.limits.file again: new clients, and connected ones at their next PUBLISH, get the new
 * publish rate, the memory marks change at once, and a file that fails the checks changes nothing. The file is
 * set in {@link BridgeTlsTest.Profile}, whose application start this test shares, and put back as it was after.
 */
@QuarkusTest
@TestProfile(BridgeTlsTest.Profile.class)
@Timeout(60)
public class HangupReloadLimitsTest extends BrokerTestBase {

    private static final String FIRST = "midge.limits.memory-high=64M\n";

    /** The limits file: a high memory mark and no publish rate until the test changes it. */
    public static final Path FILE = temporaryFile();

    @Inject
    HangupReload hangup;

    @Inject
    LimitsReload reload;

    @Inject
    Limits limits;

    private static Path temporaryFile() {
        try {
            Path file = Files.createTempFile("midge-limits", ".properties");
            Files.writeString(file, FIRST);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RawMqttClient connected(String clientId) throws IOException {
        RawMqttClient client = raw();
        client.connectAccepted(clientId, true);
        return client;
    }

    /** Publishes three QoS 1 messages at once; how many went over the client's rate. */
    private long overTheRate(RawMqttClient client) throws IOException {
        long before = limits.counters().count(LimitKind.PUBLISH_RATE);
        for (int id = 1; id <= 3; id++) {
            client.publish("reload/t", "m" + id, 1, id, false);
        }
        for (int id = 1; id <= 3; id++) {
            // MQTT 3.1.1 in reject mode: acknowledged as usual, dropped and counted.
            assertEquals(id, client.expect(PUBACK).packetId());
        }
        return limits.counters().count(LimitKind.PUBLISH_RATE) - before;
    }

    /** The tests after this one on the same broker get the limits it started with. */
    @AfterEach
    void putTheFileBack() throws IOException {
        Files.writeString(FILE, FIRST);
        assertTrue(reload.reload(), "the first file again");
    }

    @Test
    void aHangupAppliesTheFileAndABadFileChangesNothing() throws IOException {
        ready("highBytes", 64 << 20);
        RawMqttClient existing = connected("reload-existing");
        assertEquals(0, overTheRate(existing), "no rate yet");

        Files.writeString(FILE, """
                midge.limits.publish-rate=1
                midge.limits.publish-burst=1
                midge.limits.on-excess=reject
                midge.limits.memory-high=32M
                midge.limits.memory-low=16M
                """);
        hangup.reload();
        ready("highBytes", 32 << 20);
        ready("lowBytes", 16 << 20);
        assertEquals(2, overTheRate(connected("reload-after")), "one message a second, the burst one");
        assertEquals(2, overTheRate(existing), "a client connected before gets it at its next PUBLISH");

        Files.writeString(FILE, "midge.limits.memory-high=8M\nmidge.limits.memory-low=9M\n");
        assertFalse(reload.reload(), "refused");
        ready("highBytes", 32 << 20);
        assertEquals(2, overTheRate(connected("reload-refused")), "the rate in force stays");
    }

    private static void ready(String field, int value) {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'memory' }.data." + field, equalTo(value));
    }
}
