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
    void messagesSurviveTheTripInOrder() {
        MessageProperties properties = new MessageProperties(1, "text/plain", "replies/here",
                new byte[] {1, 2, 3}, List.of(new MessageProperties.UserProperty("k", "v"),
                        new MessageProperties.UserProperty("k", "w")));
        String longTopic = "sensors/" + "\uD83D\uDE00".repeat(20_000);
        List<Message> sent = List.of(
                new Message("a/b", "one".getBytes(StandardCharsets.UTF_8), 0, false),
                new Message("a/c", new byte[0], 1, true, properties, "publisher-1", 1_700_000_000_000L),
                new Message(longTopic, new byte[] {9}, 2, false, MessageProperties.NONE, null, 0));

        MessageBatchCodec.Frame frame = MessageBatchCodec.decode(MessageBatchCodec.encode(NODE, 7, sent));
        assertEquals(7, frame.sequence());
        assertEquals(NODE, frame.sender());
        assertFalse(frame.isAck());
        List<Message> received = frame.messages();

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
    void aBatchOfAnotherVersionIsRefused() {
        byte[] batch = MessageBatchCodec.encode(NODE, 1, List.of(new Message("t", new byte[0], 0, false)));
        batch[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> MessageBatchCodec.decode(batch));
    }
}
