package dev.midge.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.message.Message;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The channel to one node: messages go in order, up to 256 in one send, no more than the window of batches
 * before the node acknowledges, and a queue past its high-water mark pauses publishers until it drains.
 */
class PeerLinkTest {

    private static final String PEER = "00000000-0000-0000-0000-00000000000b";
    private static final String LOCAL = "00000000-0000-0000-0000-00000000000a";

    private final List<byte[]> sent = new CopyOnWriteArrayList<>();
    private final ClusterStats stats = new ClusterStats();
    private final PeerLink link = new PeerLink(PEER, LOCAL, sent::add, stats);

    @AfterEach
    void stop() {
        link.stop();
    }

    private static Message numbered(int i) {
        return new Message("t", ByteBuffer.allocate(4).putInt(i).array(), 1, false);
    }

    @Test
    void batchesGoInOrderWithinTheWindowAndMoreAfterEachAcknowledgement() {
        int count = PeerLink.BATCH * (PeerLink.WINDOW + 2);
        for (int i = 0; i < count; i++) {
            link.send(numbered(i), List.of());
        }
        link.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == PeerLink.WINDOW);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> sent.size() == PeerLink.WINDOW);
        link.acknowledged(1);
        link.acknowledged(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == PeerLink.WINDOW + 2);

        int next = 0;
        for (byte[] batch : sent) {
            MessageBatchCodec.Frame frame = MessageBatchCodec.decode(batch);
            assertEquals(LOCAL, frame.sender());
            assertEquals(PeerLink.BATCH, frame.messages().size());
            for (MessageBatchCodec.Forwarded m : frame.messages()) {
                assertEquals(next++, ByteBuffer.wrap(m.message().payload()).getInt());
            }
        }
        assertEquals(count, next);
        assertEquals(count, stats.forwardedMessages());
    }

    @Test
    void aQos1MessageIsConfirmedWhenTheNodeAcknowledgesItsBatchOrLeaves() {
        List<CompletableFuture<?>> waiting = new CopyOnWriteArrayList<>();
        PeerLink confirming = new PeerLink(PEER, LOCAL, sent::add, stats, waiting::add);
        confirming.send(numbered(1), List.of());
        confirming.send(new Message("t", new byte[0], 0, false), List.of());
        assertEquals(1, waiting.size(), "QoS 0 waits for nothing");
        confirming.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 1);
        long batch = MessageBatchCodec.decode(sent.get(0)).sequence();
        assertFalse(waiting.get(0).isDone(), "not before the node acknowledged the batch");
        confirming.acknowledged(batch + 1);
        assertFalse(waiting.get(0).isDone(), "another batch's acknowledgement does not confirm it");
        confirming.acknowledged(batch);
        assertTrue(waiting.get(0).isDone());

        confirming.send(numbered(2), List.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 2);
        confirming.stop();
        assertTrue(waiting.get(1).isCompletedExceptionally(),
                "a node that left confirms nothing more: its publisher is not acknowledged, and waits no longer");
    }

    @Test
    void aQueuePastItsHighWaterMarkIsCongestedUntilItDrains() {
        for (int i = 0; i < PeerLink.HIGH_WATER; i++) {
            link.send(numbered(i), List.of());
        }
        assertTrue(link.isCongested());
        AtomicBoolean resumed = new AtomicBoolean();
        link.whenDecongested(() -> resumed.set(true));
        assertFalse(resumed.get());

        link.start();
        for (int i = 0; i < PeerLink.HIGH_WATER / PeerLink.BATCH; i++) {
            int acknowledged = i;
            await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() > acknowledged);
            link.acknowledged(acknowledged + 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(resumed::get);
        assertFalse(link.isCongested());
    }

    @Test
    void aRefusedBatchAndAMessageRoutedAfterTheNodeLeftConfirmNothing() {
        List<CompletableFuture<?>> waiting = new CopyOnWriteArrayList<>();
        PeerLink confirming = new PeerLink(PEER, LOCAL, sent::add, stats, waiting::add);
        confirming.send(numbered(1), List.of());
        confirming.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 1);
        confirming.acknowledged(MessageBatchCodec.decode(sent.get(0)).sequence(), true);
        assertTrue(waiting.get(0).isCompletedExceptionally(), "the node did not keep it: no acknowledgement");

        confirming.stop();
        confirming.sendFor(numbered(2), Targets.sessionsOf(PEER));
        assertTrue(waiting.get(1).isCompletedExceptionally(),
                "routed here just as the node left: its publisher is not acknowledged, and does not wait forever");
    }
}
