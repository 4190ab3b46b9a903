package dev.midge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.message.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The outbound QoS engine with plain objects: a sender that records packets, counters, and a journal. */
class OutboundQueueTest {

    /** A packet as the sender saw it: PUBLISH (with payload, id, DUP) or PUBREL. */
    private record Packet(String type, String payload, int packetId, boolean duplicate) {
    }

    private static final class RecordingSender implements OutboundSender {
        final List<Packet> packets = new ArrayList<>();
        boolean writable = true;
        String tooLarge;

        @Override
        public boolean isWritable() {
            return writable;
        }

        @Override
        public boolean sendPublish(Message message, Delivery delivery, int packetId, boolean duplicate) {
            String payload = new String(message.payload(), StandardCharsets.UTF_8);
            if (payload.equals(tooLarge)) {
                return false;
            }
            packets.add(new Packet("PUBLISH", payload, packetId, duplicate));
            return true;
        }

        @Override
        public void sendPubRel(int packetId) {
            packets.add(new Packet("PUBREL", null, packetId, false));
        }

        List<String> payloads() {
            return packets.stream().map(Packet::payload).toList();
        }
    }

    private static final class Counters implements OutboundEvents {
        int leftQueue;
        int sent;
        int expired;
        int acknowledged;
        final List<String> released = new ArrayList<>();

        @Override
        public void released(Message message) {
            released.add(new String(message.payload(), StandardCharsets.UTF_8));
        }

        @Override
        public void leftQueue() {
            leftQueue++;
        }

        @Override
        public void sent(int qos) {
            sent++;
        }

        @Override
        public void expired() {
            expired++;
        }

        @Override
        public void acknowledged() {
            acknowledged++;
        }

        @Override
        public void drained() {
        }
    }

    private static final class RecordingJournal implements OutboundJournal {
        final List<String> calls = new ArrayList<>();

        @Override
        public void inFlight(Outbound outbound) {
            calls.add("inFlight " + outbound.packetId());
        }

        @Override
        public void released(Outbound outbound) {
            calls.add("released " + outbound.packetId());
        }

        @Override
        public void finished(Outbound outbound) {
            calls.add("finished " + new String(outbound.message().payload(), StandardCharsets.UTF_8));
        }
    }

    private final RecordingSender sender = new RecordingSender();
    private final Counters counters = new Counters();
    private final RecordingJournal journal = new RecordingJournal();
    private final OutboundQueue queue = new OutboundQueue(journal, counters);

    private static Outbound outbound(String payload, int qos) {
        return outbound(payload, qos, 0);
    }

    private static Outbound outbound(String payload, int qos, long expiresAt) {
        Message message = new Message("t", payload.getBytes(StandardCharsets.UTF_8), qos, false,
                MessageProperties.NONE, null, expiresAt);
        return new Outbound(message, Delivery.of(qos, false), 0);
    }

    private static Message qos0(String payload) {
        return new Message("t", payload.getBytes(StandardCharsets.UTF_8), 0, false);
    }

    @Test
    void aMessageRestoredAsQueuedGoesOutFlaggedDupAsTheStoreMayHaveLaggedItsSending() {
        queue.restore(outbound("restored", 1), 0, false);
        queue.online(sender, 100);
        queue.resend();
        queue.offer(outbound("new", 1), 10);
        assertEquals(List.of(true, false), sender.packets.stream().map(Packet::duplicate).toList());
    }

    @Test
    void packetIdsWrapAfter65535AndSkipIdsInFlight() {
        queue.restore(outbound("at-65534", 1), 65_534, false);
        queue.restore(outbound("at-1", 1), 1, false);
        queue.online(sender, 100);

        queue.offer(outbound("a", 1), 10);
        queue.offer(outbound("b", 1), 10);
        queue.offer(outbound("c", 1), 10);

        assertEquals(List.of(65_535, 2, 3), sender.packets.stream().map(Packet::packetId).toList(),
                "65,535 is used, 0 is never, 1 is in flight");
    }

    @Test
    void windowLimitsMessagesInFlightAndAnAckMakesRoom() {
        queue.online(sender, 2);

        assertEquals(OutboundQueue.Offer.SENT, queue.offer(outbound("a", 1), 10));
        assertEquals(OutboundQueue.Offer.SENT, queue.offer(outbound("b", 2), 10));
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(outbound("c", 1), 10));
        assertEquals(List.of("a", "b"), sender.payloads());
        assertEquals(2, queue.inflightCount());
        assertEquals(1, queue.queuedSize());

        assertTrue(queue.onPubAck(1));
        assertEquals(List.of("a", "b", "c"), sender.payloads());
        assertEquals(0, queue.queuedSize());
        assertEquals(1, counters.acknowledged);
    }

    @Test
    void aMessageIsReleasedOnceItsDeliveryIsOverAndNotBefore() {
        queue.online(sender, 10);
        sender.tooLarge = "too-large";
        queue.offer(outbound("qos1", 1), 10);
        queue.offer(outbound("qos2", 2), 10);
        queue.offer(outbound("refused", 2), 10);
        queue.offer(outbound("expired", 1, 1), 10);
        queue.offer(outbound("too-large", 1), 10);
        queue.offerQos0(qos0("qos0"), Delivery.of(0, false), 10);
        assertEquals(List.of("expired", "too-large", "qos0"), counters.released, "in flight ones are held");

        assertTrue(queue.onPubAck(1));
        assertTrue(queue.onPubRec(2));
        assertEquals(List.of("expired", "too-large", "qos0", "qos1"), counters.released, "PUBREL: still held");
        assertTrue(queue.onPubComp(2));
        assertTrue(queue.onPubRecRefused(3));
        assertEquals(List.of("expired", "too-large", "qos0", "qos1", "qos2", "refused"), counters.released);
        assertFalse(queue.onPubAck(1));
        assertEquals(6, counters.released.size(), "a repeated acknowledgement releases nothing");
    }

    @Test
    void queueRefusesBeyondItsCap() {
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(outbound("a", 1), 2));
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(outbound("b", 1), 2));
        assertEquals(OutboundQueue.Offer.REFUSED, queue.offer(outbound("c", 1), 2));
    }

    @Test
    void queuedMessagesGoOutInTheOrderTheyCame() {
        queue.offer(outbound("1", 1), 10);
        queue.offer(outbound("2", 2), 10);
        queue.offer(outbound("3", 1), 10);
        queue.online(sender, 10);
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offerQos0(qos0("4"), Delivery.of(0, false), 10),
                "a QoS 0 message waits behind queued ones");
        queue.resend();

        assertEquals(List.of("1", "2", "3", "4"), sender.payloads());
        assertEquals(4, counters.leftQueue);
        assertEquals(4, counters.sent);
    }

    @Test
    void qos0WaitsForAWritableSocket() {
        queue.online(sender, 10);
        sender.writable = false;
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offerQos0(qos0("a"), Delivery.of(0, false), 10));
        queue.drain();
        assertEquals(List.of(), sender.payloads());

        sender.writable = true;
        queue.drain();
        assertEquals(List.of("a"), sender.payloads());
        assertEquals(0, sender.packets.get(0).packetId());
    }

    @Test
    void unacknowledgedMessagesAreResentWithDupUnderTheirIdsAfterReattach() {
        queue.online(sender, 10);
        queue.offer(outbound("a", 1), 10);
        queue.offer(outbound("b", 1), 10);
        queue.offline();
        queue.offer(outbound("c", 1), 10);
        RecordingSender next = new RecordingSender();

        queue.online(next, 10);
        queue.resend();

        assertEquals(List.of(new Packet("PUBLISH", "a", 1, true), new Packet("PUBLISH", "b", 2, true),
                new Packet("PUBLISH", "c", 3, false)), next.packets);
    }

    @Test
    void resendHonoursTheNewSendersSmallerWindow() {
        queue.online(sender, 3);
        queue.offer(outbound("a", 1), 10);
        queue.offer(outbound("b", 1), 10);
        queue.offer(outbound("c", 1), 10);
        queue.offline();
        RecordingSender next = new RecordingSender();

        queue.online(next, 1);
        queue.resend();
        assertEquals(List.of("a"), next.payloads());
        queue.onPubAck(1);
        assertEquals(List.of("a", "b"), next.payloads());
        queue.onPubAck(2);
        assertEquals(List.of("a", "b", "c"), next.payloads());
        assertTrue(next.packets.stream().allMatch(Packet::duplicate));
    }

    @Test
    void qos2GoesThroughPubRecPubRelAndPubComp() {
        queue.online(sender, 10);
        queue.offer(outbound("a", 2), 10);

        assertFalse(queue.onPubAck(1), "a PUBACK does not complete a QoS 2 message");
        assertFalse(queue.onPubComp(1), "nor a PUBCOMP before PUBREC");
        assertTrue(queue.onPubRec(1));
        assertTrue(queue.onPubRec(1), "a repeated PUBREC is still known");
        assertEquals(List.of("inFlight 1", "released 1"), journal.calls);

        queue.offline();
        RecordingSender next = new RecordingSender();
        queue.online(next, 10);
        queue.resend();
        assertEquals(List.of(new Packet("PUBREL", null, 1, false)), next.packets, "released: PUBREL, not PUBLISH");

        assertTrue(queue.onPubComp(1));
        assertEquals(List.of("inFlight 1", "released 1", "finished a"), journal.calls);
        assertEquals(0, queue.inflightCount());
        assertFalse(queue.onPubComp(1));
    }

    @Test
    void refusedPubRecEndsTheDeliveryAndFreesTheWindow() {
        queue.online(sender, 1);
        queue.offer(outbound("a", 2), 10);
        queue.offer(outbound("b", 2), 10);

        assertTrue(queue.onPubRecRefused(1));
        assertFalse(queue.onPubRecRefused(1));
        assertEquals(List.of("a", "b"), sender.payloads());
        assertEquals(List.of("inFlight 1", "finished a", "inFlight 2"), journal.calls);
        assertEquals(0, counters.acknowledged);
    }

    @Test
    void expiredQueuedMessagesAreDroppedWhenTheirTurnComes() {
        queue.offer(outbound("expired", 1, 1), 10);
        queue.offer(outbound("live", 1, System.currentTimeMillis() + 60_000), 10);
        queue.online(sender, 10);
        queue.resend();

        assertEquals(List.of("live"), sender.payloads());
        assertEquals(1, counters.expired);
        assertEquals(List.of("finished expired", "inFlight 1"), journal.calls);
        assertEquals(2, counters.leftQueue);
    }

    @Test
    void aMessageTooLargeForTheReceiverIsFinishedNotHeldInFlight() {
        queue.online(sender, 10);
        sender.tooLarge = "big";
        queue.offer(outbound("big", 1), 10);

        assertEquals(0, queue.inflightCount());
        assertEquals(List.of("finished big"), journal.calls);
    }

    @Test
    void clearHandsEveryMessageBack() {
        queue.online(sender, 1);
        queue.offer(outbound("a", 1), 10);
        queue.offer(outbound("b", 1), 10);
        List<String> inflight = new ArrayList<>();
        List<String> queued = new ArrayList<>();

        queue.clear(o -> inflight.add(new String(o.message().payload(), StandardCharsets.UTF_8)),
                o -> queued.add(new String(o.message().payload(), StandardCharsets.UTF_8)));

        assertEquals(List.of("a"), inflight);
        assertEquals(List.of("b"), queued);
        assertEquals(0, queue.inflightCount());
        assertEquals(0, queue.queuedSize());
    }
}
