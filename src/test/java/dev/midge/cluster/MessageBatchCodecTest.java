package dev.midge.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.message.Message;
import dev.midge.message.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch forwarded to another node comes out as the messages that went in, properties and all. */
class MessageBatchCodecTest {

    private static final String NODE = "00000000-0000-0000-0000-00000000000a";

    @Test
    void anAcknowledgementNamesTheNodeThatSendsItAndTheBatch() {
        MessageBatchCodec.Frame frame = MessageBatchCodec.decode(MessageBatchCodec.ack(NODE, 41));
        assertTrue(frame.isAck());
        assertEquals(NODE, frame.sender());
        assertEquals(41, frame.sequence());
    }

    @Test
    void aRefusalIsAnAcknowledgementThatConfirmsNothing() {
        assertTrue(MessageBatchCodec.decode(MessageBatchCodec.ack(NODE, 3, true)).refused());
        assertFalse(MessageBatchCodec.decode(MessageBatchCodec.ack(NODE, 3)).refused());
    }

    @Test
    void theSerialOfThePublicationAndWhomItIsForTravel() {
        Message message = new Message("a/b", new byte[] {1}, 1, false).withSerial(-42L);
        List<MessageBatchCodec.Forwarded> sent = List.of(new MessageBatchCodec.Forwarded(message, List.of()),
                new MessageBatchCodec.Forwarded(message, List.of(), Targets.sessionsOf(NODE)),
                new MessageBatchCodec.Forwarded(message, List.of(), Targets.client("sensor-1")));

        List<MessageBatchCodec.Forwarded> received = MessageBatchCodec.decode(MessageBatchCodec.encode(NODE, 1, sent))
                .messages();

        assertEquals(3, received.size());
        received.forEach(forwarded -> assertEquals(-42L, forwarded.message().serial()));
        assertNull(received.get(0).target(), "for every matching subscription there");
        assertEquals(NODE, Targets.nodeOf(received.get(1).target()));
        assertEquals("sensor-1", Targets.clientOf(received.get(2).target()));
    }

    @Test
    void messagesSurviveTheTripInOrder() {
        MessageProperties properties = new MessageProperties(1, "text/plain", "replies/here",
                new byte[] {1, 2, 3}, List.of(new MessageProperties.UserProperty("k", "v"),
                        new MessageProperties.UserProperty("k", "w")));
        String longTopic = "sensors/" + "\uD83D\uDE00".repeat(20_000);
        List<Message> sent = List.of(
                new Message("a/b", "one".getBytes(StandardCharsets.UTF_8), 0, false),
                new Message("a/c", new byte[0], 1, true, properties, "publisher-1", 1_700_000_000_000L),
                new Message(longTopic, new byte[] {9}, 2, false, MessageProperties.NONE, null, 0));

        MessageBatchCodec.Frame frame = MessageBatchCodec.decode(MessageBatchCodec.encode(NODE, 7,
                sent.stream().map(m -> new MessageBatchCodec.Forwarded(m, List.of())).toList()));
        assertEquals(7, frame.sequence());
        assertEquals(NODE, frame.sender());
        assertFalse(frame.isAck());
        List<Message> received = frame.messages().stream().map(MessageBatchCodec.Forwarded::message).toList();

        assertEquals(3, received.size());
        for (int i = 0; i < 3; i++) {
            Message in = sent.get(i);
            Message out = received.get(i);
            assertEquals(in.topic(), out.topic());
            assertArrayEquals(in.payload(), out.payload());
            assertEquals(in.qos(), out.qos());
            assertEquals(in.retain(), out.retain());
            assertEquals(in.origin(), out.origin());
            assertEquals(in.expiresAt(), out.expiresAt());
        }
        MessageProperties back = received.get(1).properties();
        assertEquals(1, back.payloadFormat());
        assertEquals("text/plain", back.contentType());
        assertEquals("replies/here", back.responseTopic());
        assertArrayEquals(new byte[] {1, 2, 3}, back.correlationData());
        assertEquals(properties.userProperties(), back.userProperties());
        assertEquals(MessageProperties.NONE, received.get(0).properties());
        assertNull(received.get(2).origin());
    }

    @Test
    void eachMessageCarriesTheSharedGroupsTheReceivingNodeIsToServe() {
        List<MessageBatchCodec.Forwarded> sent = List.of(
                new MessageBatchCodec.Forwarded(new Message("a/b", new byte[0], 1, false), List.of()),
                new MessageBatchCodec.Forwarded(new Message("a/b", new byte[0], 1, false),
                        List.of("$share/g1/a/+", "$share/g2/a/#")),
                new MessageBatchCodec.Forwarded(new Message("a/c", new byte[0], 0, true), List.of("$share/g3/#")));

        List<MessageBatchCodec.Forwarded> received =
                MessageBatchCodec.decode(MessageBatchCodec.encode(NODE, 3, sent)).messages();

        assertEquals(List.of(List.of(), List.of("$share/g1/a/+", "$share/g2/a/#"), List.of("$share/g3/#")),
                received.stream().map(MessageBatchCodec.Forwarded::groups).toList());
        assertEquals("a/c", received.get(2).message().topic());
        assertTrue(received.get(2).message().retain());
    }

    @Test
    void aBatchOfTheVersionBeforeGroupsStillReadsAsMessagesForNoGroup() {
        // Encoded by the version 2 codec: "old/one" (QoS 1, content type, a user property, origin "pub") and
        // "old/two" (QoS 0, retained), batch 5 of node a.
        byte[] version2 = HexFormat.of().parseHex("02000000002430303030303030302d303030302d303030302d303030302d"
                + "303030303030303030303061000000000000000500000002000000076f6c642f6f6e650000000131010100000003707562"
                + "00000000000000000100000001010000000a746578742f706c61696e000000000001000000016b0000000176000000076f"
                + "6c642f74776f00000001320400000000000000000000");

        MessageBatchCodec.Frame frame = MessageBatchCodec.decode(version2);

        assertEquals(NODE, frame.sender());
        assertEquals(5, frame.sequence());
        assertEquals(2, frame.messages().size());
        Message one = frame.messages().get(0).message();
        assertEquals("old/one", one.topic());
        assertEquals(1, one.qos());
        assertEquals("pub", one.origin());
        assertEquals("text/plain", one.properties().contentType());
        assertEquals(List.of(new MessageProperties.UserProperty("k", "v")), one.properties().userProperties());
        Message two = frame.messages().get(1).message();
        assertEquals("old/two", two.topic());
        assertTrue(two.retain());
        assertEquals(List.of(), frame.messages().get(0).groups());
        assertEquals(List.of(), frame.messages().get(1).groups());
    }

    @Test
    void anAcknowledgementOfTheVersionBeforeGroupsStillReads() {
        byte[] ack = MessageBatchCodec.ack(NODE, 12);
        ack[0] = 2;
        MessageBatchCodec.Frame frame = MessageBatchCodec.decode(ack);
        assertTrue(frame.isAck());
        assertEquals(12, frame.sequence());
    }

    @Test
    void aBatchOfAnotherVersionIsRefused() {
        byte[] batch = MessageBatchCodec.encode(NODE, 1, List.of(
                new MessageBatchCodec.Forwarded(new Message("t", new byte[0], 0, false), List.of())));
        batch[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> MessageBatchCodec.decode(batch));
    }
}
