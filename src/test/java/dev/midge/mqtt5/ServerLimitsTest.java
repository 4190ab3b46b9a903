package dev.midge.mqtt5;

import static dev.midge.mqtt5.Mqtt5LimitsProfile.MAX_PACKET_SIZE;
import static dev.midge.mqtt5.Mqtt5LimitsProfile.RECEIVE_MAXIMUM;
import static dev.midge.mqtt5.Mqtt5LimitsProfile.TOPIC_ALIAS_MAXIMUM;
import static dev.midge.mqtt5.RawMqtt5Client.DISCONNECT;
import static dev.midge.mqtt5.RawMqtt5Client.PUBACK;
import static dev.midge.mqtt5.RawMqtt5Client.PUBCOMP;
import static dev.midge.mqtt5.RawMqtt5Client.PUBREC;
import static dev.midge.mqtt5.RawMqtt5Client.PUBREL;
import static dev.midge.mqtt5.RawMqtt5Client.SERVER_KEEP_ALIVE;
import static dev.midge.mqtt5.RawMqtt5Client.SESSION_EXPIRY_INTERVAL;
import static dev.midge.mqtt5.RawMqtt5Client.TOPIC_ALIAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.mqtt5.RawMqtt5Client.Packet;
import dev.midge.testing.RawMqttClient;
import dev.midge.mqtt5.RawMqtt5Client.Properties;
import dev.midge.mqtt5.RawMqtt5Client.Props;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The server's own limits, set small by {@link Mqtt5LimitsProfile}: announced in CONNACK and enforced. */
@QuarkusTest
@TestProfile(Mqtt5LimitsProfile.class)
@Timeout(30)
class ServerLimitsTest extends Mqtt5TestBase {

    @Test
    void connAckAnnouncesTheConfiguredLimits() throws Exception {
        try (RawMqtt5Client client = new RawMqtt5Client(listener.port())) {
            Properties p = client.connectAccepted("sl-connack", true, Props.none()).properties();
            assertEquals(RECEIVE_MAXIMUM, p.get(RawMqtt5Client.RECEIVE_MAXIMUM));
            assertEquals((long) MAX_PACKET_SIZE, p.get(RawMqtt5Client.MAXIMUM_PACKET_SIZE));
            assertEquals(TOPIC_ALIAS_MAXIMUM, p.get(RawMqtt5Client.TOPIC_ALIAS_MAXIMUM));
        }
    }

    /**
     * 3.2.2.3.14: with midge.max-keepalive 30, a client asking for more, or for none (0), is told 30 as Server
     * Keep Alive; one asking for less keeps its own (no Server Keep Alive, or the same value).
     */
    @ParameterizedTest
    @CsvSource({"60, 30", "0, 30", "10, 10"})
    void serverKeepAliveCapsTheClientsKeepAlive(int requested, int effective) throws Exception {
        try (RawMqtt5Client client = new RawMqtt5Client(listener.port())) {
            client.connect("sl-keepalive-" + requested, true, requested, Props.none(), null);
            Object serverKeepAlive = client.expect(RawMqtt5Client.CONNACK).properties().get(SERVER_KEEP_ALIVE);
            if (requested == effective) {
                assertTrue(serverKeepAlive == null || serverKeepAlive.equals(requested), "got " + serverKeepAlive);
            } else {
                assertEquals(effective, serverKeepAlive);
            }
        }
    }

    /**
     * MQTT-3.3.4-8: more QoS 2 PUBLISHes awaiting PUBREL than the server's Receive Maximum (2) is DISCONNECT
     * 0x93. A PUBREL frees its place.
     */
    @Test
    void exceedingTheServersReceiveMaximumIsDisconnect0x93() throws Exception {
        try (RawMqtt5Client client = rawClient("sl-receive-max")) {
            for (int id = 1; id <= 2; id++) {
                client.publish("sl/qos2", "m" + id, 2, id, false, Props.none());
                assertEquals(id, client.expect(PUBREC).packetId());
            }
            client.ack(PUBREL, 1);
            assertEquals(1, client.expect(PUBCOMP).packetId());
            client.publish("sl/qos2", "m3", 2, 3, false, Props.none());
            assertEquals(3, client.expect(PUBREC).packetId(), "two awaiting PUBREL again: still allowed");
            client.publish("sl/qos2", "m4", 2, 4, false, Props.none());
            client.expectDisconnect(0x93);
        }
    }

    /**
     * A QoS 2 PUBLISH the server got but whose PUBREC the client never saw is resent with DUP on the next
     * connection (MQTT-4.4.0-1). It is the same message, not one more: with 2 of them awaiting PUBREL and a
     * Receive Maximum of 2, the resends are acknowledged (PUBREC) and released, not a DISCONNECT 0x93.
     */
    @Test
    void qos2MessagesResentAfterReconnectDoNotExceedTheReceiveMaximum() throws Exception {
        try (RawMqtt5Client client = rawClient("sl-resend", Props.of(SESSION_EXPIRY_INTERVAL, 60))) {
            client.publish("sl/resend", "m1", 2, 1, false, Props.none());
            client.publish("sl/resend", "m2", 2, 2, false, Props.none());
            // Read only to know the server has both; the client played here lost these PUBRECs with its connection.
            client.expect(PUBREC);
            client.expect(PUBREC);
        }
        try (RawMqtt5Client client = new RawMqtt5Client(listener.port())) {
            client.connectAccepted("sl-resend", false, Props.of(SESSION_EXPIRY_INTERVAL, 0));
            for (int id = 1; id <= 2; id++) {
                client.resend("sl/resend", "m" + id, 2, id);
                Packet pubRec = client.expect(PUBREC);
                assertEquals(id, pubRec.packetId(), pubRec.toString());
            }
            for (int id = 1; id <= 2; id++) {
                client.ack(PUBREL, id);
                assertEquals(0, client.expect(PUBCOMP).reasonCode());
            }
        }
    }

    /**
     * MQTT-3.2.2-15 (3.2.2.3.6): a packet over the server's Maximum Packet Size (2048) is DISCONNECT 0x95; one of
     * exactly 2048 bytes is accepted. A QoS 1 PUBLISH on "sl/big" without properties takes 14 bytes around its
     * payload (remaining length in two bytes).
     */
    @Test
    void aPacketOverTheServersMaximumPacketSizeIsDisconnect0x95() throws Exception {
        try (RawMqtt5Client client = rawClient("sl-too-large")) {
            client.publish("sl/big", "x".repeat(MAX_PACKET_SIZE - 14), 1, 1, false, Props.none());
            assertEquals(0, client.expect(PUBACK).reasonCode(), "exactly the maximum is accepted");
            client.publish("sl/big", "x".repeat(MAX_PACKET_SIZE - 13), 1, 2, false, Props.none());
            client.expectDisconnect(0x95);
        }
    }

    /** With midge.topic-alias.maximum 2, alias 2 may be set and alias 3 is DISCONNECT 0x94. */
    @Test
    void anAliasAboveTheConfiguredMaximumIsDisconnect0x94() throws Exception {
        try (RawMqtt5Client client = rawClient("sl-alias")) {
            client.publish("sl/alias", "x", 1, 1, false, Props.of(TOPIC_ALIAS, TOPIC_ALIAS_MAXIMUM));
            assertEquals(0, client.expect(PUBACK).reasonCode());
            client.publish("sl/alias", "x", 1, 2, false, Props.of(TOPIC_ALIAS, TOPIC_ALIAS_MAXIMUM + 1));
            client.expectDisconnect(0x94);
        }
    }

    /**
     * A client that keeps sending past the Receive Maximum reads the DISCONNECT 0x93 and then the end of the
     * stream, not a reset: the broker half-closes and reads what still comes instead of closing on unread bytes.
     */
    @Test
    void overTheReceiveMaximumInABurstTheClientReadsDisconnect0x93ThenTheEndNotAReset() throws Exception {
        try (RawMqtt5Client client = rawClient("sl-receive-max-burst")) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int id = 1; id <= RECEIVE_MAXIMUM + 1; id++) {
                burst.writeBytes(RawMqttClient.packet(0x34, new RawMqttClient.Body().string("sl/burst")
                        .bytes(0, id, 0).raw(new byte[] {'m'}).toBytes()));
            }
            burst.writeBytes(RawMqttClient.pingReqs(150_000));
            CompletableFuture<Void> writer = client.sendInBackground(burst.toByteArray());
            for (int id = 1; id <= RECEIVE_MAXIMUM; id++) {
                assertEquals(id, client.expect(PUBREC).packetId());
            }
            assertEquals(0x93, client.expect(DISCONNECT).reasonCode());
            client.expectEndOfStream(5_000);
            writer.get(5, TimeUnit.SECONDS);
        }
    }

    /** The same for a packet over the maximum size, refused on its fixed header while its body still comes. */
    @Test
    void aTooLargePacketInABurstIsDisconnect0x95ThenTheEndNotAReset() throws Exception {
        try (RawMqtt5Client client = rawClient("sl-too-large-burst")) {
            CompletableFuture<Void> writer = client.sendInBackground(RawMqttClient.packet(0x30,
                    new RawMqttClient.Body().string("sl/big").bytes(0).raw(new byte[300_000]).toBytes()));
            assertEquals(0x95, client.expect(DISCONNECT).reasonCode());
            client.expectEndOfStream(5_000);
            writer.get(5, TimeUnit.SECONDS);
        }
    }
}
