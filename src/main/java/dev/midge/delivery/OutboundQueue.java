package dev.midge.delivery;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The outbound half of an MQTT session, for a client's session and a bridge alike: packet ids (wrapping at
 * 65,535, skipping those in flight), the in-flight window (the receiver's Receive Maximum), the queue of
 * messages waiting for it, resending with DUP (or PUBREL) when a sender comes back, expiry of queued messages,
 * and the QoS 2 states PUBLISH, PUBREC/PUBREL, PUBCOMP.
 *
 * <p>Confined to its owner's thread (an event loop), except {@link #inflightCount()}. It allocates nothing per
 * message: the owner hands it the {@link Outbound} of a QoS 1/2 message, and a QoS 0 message sent at once
 * is passed through as it is.
 */
public final class OutboundQueue {

    /** What became of a message handed to the queue. */
    public enum Offer {
        SENT, QUEUED, REFUSED
    }

    /** Starting capacity of the queues, which are empty most of the time, and grow as needed. */
    private static final int SMALL = 2;
    /**
     * What every queue is until it first holds something, shared and never written: most sessions never queue
     * or resend a message, and with thousands of idle clients three empty collections each add up.
     */
    private static final ArrayDeque<Outbound> NOTHING_YET = new ArrayDeque<>(0);
    private static final Map<Integer, Outbound> NONE_IN_FLIGHT_YET = Collections.emptyMap();

    private final OutboundJournal journal;
    private final OutboundEvents events;
    private Map<Integer, Outbound> inflight = NONE_IN_FLIGHT_YET;
    private ArrayDeque<Outbound> queue = NOTHING_YET;
    /** In-flight messages not yet resent to the current sender, held back by its window. */
    private ArrayDeque<Outbound> resendLater = NOTHING_YET;
    private OutboundSender sender;
    private int window;
    private int lastPacketId;
    /** The in-flight table's size, for meters, which read it from other threads. */
    private volatile int inflightCount;

    public OutboundQueue(OutboundJournal journal, OutboundEvents events) {
        this.journal = journal;
        this.events = events;
    }

    /** From now on messages go to this sender, at most {@code window} QoS 1/2 ones unacknowledged. */
    public void online(OutboundSender newSender, int newWindow) {
        sender = newSender;
        window = newWindow;
    }

    /** The sender is gone: everything waits, in flight or queued, for the next one. */
    public void offline() {
        sender = null;
    }

    public boolean isOnline() {
        return sender != null;
    }

    /**
     * A QoS 1/2 message: sent now when the window has room and nothing waits before it, else queued, unless
     * {@code cap} messages wait already.
     */
    public Offer offer(Outbound outbound, int cap) {
        if (sender != null && queue.isEmpty() && inflight.size() < window) {
            send(outbound);
            return Offer.SENT;
        }
        return enqueue(outbound, cap);
    }

    /**
     * A QoS 0 message, while online: straight to the socket while it takes more and nothing waits before it,
     * else queued behind the rest, unless {@code cap} messages wait already.
     */
    public Offer offerQos0(Message message, Delivery delivery, int cap) {
        if (queue.isEmpty() && sender.isWritable()) {
            events.leftQueue();
            sendQos0(message, delivery);
            return Offer.SENT;
        }
        return enqueue(new Outbound(message, delivery, 0), cap);
    }

    private Offer enqueue(Outbound outbound, int cap) {
        if (queue.size() < cap) {
            writableQueue().add(outbound);
            return Offer.QUEUED;
        }
        return Offer.REFUSED;
    }

    private void sendQos0(Message message, Delivery delivery) {
        if (message.isExpiredNow()) {
            events.expired();
        } else if (sender.sendPublish(message, delivery, 0, false)) {
            events.sent(0);
        }
        events.released(message);
    }

    private void send(Outbound outbound) {
        events.leftQueue();
        if (outbound.delivery().qos() == 0) {
            sendQos0(outbound.message(), outbound.delivery());
            return;
        }
        if (outbound.message().isExpiredNow()) {
            events.expired();
            journal.finished(outbound);
            events.released(outbound.message());
            return;
        }
        outbound.packetId = nextPacketId();
        if (sender.sendPublish(outbound.message(), outbound.delivery(), outbound.packetId, outbound.maybeSent)) {
            writableInflight().put(outbound.packetId, outbound);
            inflightCount = inflight.size();
            events.sent(outbound.delivery().qos());
            journal.inFlight(outbound);
        } else {
            journal.finished(outbound);
            events.released(outbound.message());
        }
    }

    /** The next packet id not in flight, after the last one handed out; 1 follows 65,535. */
    public int nextPacketId() {
        do {
            lastPacketId = lastPacketId == 65_535 ? 1 : lastPacketId + 1;
        } while (inflight.containsKey(lastPacketId));
        return lastPacketId;
    }

    /** Fills the window: first what waits to be resent to this sender, then queued messages. */
    public void drain() {
        while (sender != null && !resendLater.isEmpty() && inflight.size() - resendLater.size() < window) {
            Outbound o = resendLater.poll();
            if (inflight.get(o.packetId) == o) {
                resend(o);
                if (o.discarded) {
                    inflight.remove(o.packetId);
                    inflightCount = inflight.size();
                    journal.finished(o);
                    events.released(o.message());
                }
            }
        }
        while (sender != null && !queue.isEmpty()) {
            boolean ready = queue.peek().delivery().qos() == 0 ? sender.isWritable() : inflight.size() < window;
            if (!ready) {
                return;
            }
            send(queue.poll());
        }
        events.drained();
    }

    /** Resends every unacknowledged message the window takes (PUBLISH with DUP, or PUBREL), then queued ones. */
    public void resend() {
        if (resendLater != NOTHING_YET) {
            resendLater.clear();
        }
        int sent = 0;
        for (Outbound o : inflight.values()) {
            if (sent < window) {
                sent++;
                resend(o);
            } else {
                if (resendLater == NOTHING_YET) {
                    resendLater = new ArrayDeque<>(SMALL);
                }
                resendLater.add(o);
            }
        }
        inflight.values().removeIf(o -> {
            if (o.discarded) {
                journal.finished(o);
                events.released(o.message());
            }
            return o.discarded;
        });
        inflightCount = inflight.size();
        drain();
    }

    private void resend(Outbound o) {
        if (o.released) {
            sender.sendPubRel(o.packetId);
        } else if (!sender.sendPublish(o.message(), o.delivery(), o.packetId, true)) {
            o.discarded = true;
        }
    }

    /** A PUBACK; false when no QoS 1 message was in flight with that id. */
    public boolean onPubAck(int packetId) {
        Outbound o = inflight.get(packetId);
        if (o == null || o.delivery().qos() != 1) {
            return false;
        }
        acknowledged(o);
        return true;
    }

    /** A PUBREC; false when no QoS 2 message was in flight with that id. The caller sends PUBREL. */
    public boolean onPubRec(int packetId) {
        Outbound o = inflight.get(packetId);
        boolean known = o != null && o.delivery().qos() == 2;
        if (known && !o.released) {
            o.released = true;
            journal.released(o);
        }
        return known;
    }

    /** A PUBREC with an error reason code: the receiver refused the message; false when none had that id. */
    public boolean onPubRecRefused(int packetId) {
        Outbound o = inflight.remove(packetId);
        inflightCount = inflight.size();
        if (o == null) {
            return false;
        }
        journal.finished(o);
        events.released(o.message());
        drain();
        return true;
    }

    /** A PUBCOMP; false when no released QoS 2 message was in flight with that id. */
    public boolean onPubComp(int packetId) {
        Outbound o = inflight.get(packetId);
        if (o == null || !o.released) {
            return false;
        }
        acknowledged(o);
        return true;
    }

    private void acknowledged(Outbound o) {
        inflight.remove(o.packetId);
        inflightCount = inflight.size();
        journal.finished(o);
        events.released(o.message());
        events.acknowledged();
        drain();
    }

    /**
     * Puts back a message read from a store: in flight under its packet id (resent when a sender comes), or
     * queued when it had none or its id is taken, then first sent flagged DUP (the store may have lagged its
     * sending). True when queued.
     */
    public boolean restore(Outbound o, int packetId, boolean released) {
        if (packetId == 0 || inflight.containsKey(packetId)) {
            // A store may lag the socket: the message may have gone out before the record of its packet id.
            o.maybeSent = true;
            writableQueue().add(o);
            return true;
        }
        o.packetId = packetId;
        o.released = released;
        writableInflight().put(packetId, o);
        inflightCount = inflight.size();
        lastPacketId = Math.max(lastPacketId, packetId);
        return false;
    }

    /** Removes the queued messages the filter accepts (it may count them on the way). */
    public void removeQueuedIf(Predicate<Outbound> filter) {
        queue.removeIf(filter);
    }

    /** Every message held, in-flight ones first, then queued ones, each in order. */
    public void forEach(Consumer<Outbound> action) {
        inflight.values().forEach(action);
        queue.forEach(action);
    }

    /** Empties the queue: each in-flight message goes to the first consumer, each queued one to the second. */
    public void clear(Consumer<Outbound> inflightGone, Consumer<Outbound> queuedGone) {
        inflight.values().forEach(inflightGone);
        inflight.clear();
        inflightCount = 0;
        if (resendLater != NOTHING_YET) {
            resendLater.clear();
        }
        queue.forEach(queuedGone);
        if (queue != NOTHING_YET) {
            queue.clear();
        }
    }

    private ArrayDeque<Outbound> writableQueue() {
        if (queue == NOTHING_YET) {
            queue = new ArrayDeque<>(SMALL);
        }
        return queue;
    }

    private Map<Integer, Outbound> writableInflight() {
        if (inflight == NONE_IN_FLIGHT_YET) {
            inflight = new LinkedHashMap<>();
        }
        return inflight;
    }

    public int queuedSize() {
        return queue.size();
    }

    public int inflightSize() {
        return inflight.size();
    }

    /** QoS 1/2 messages sent and not yet acknowledged. Any thread. */
    public int inflightCount() {
        return inflightCount;
    }
}
