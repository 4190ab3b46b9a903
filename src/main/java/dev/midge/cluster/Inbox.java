package dev.midge.cluster;

import dev.midge.persistence.BrokerStore;
import dev.midge.routing.Router;
import dev.midge.routing.Subscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * What other nodes send this one: batches of messages, delivered to this node's subscribers and then
 * acknowledged to their sender, and the acknowledgements of the batches this node sent, which let its links
 * send more. A batch that leaves a subscriber here congested is acknowledged only once that subscriber has
 * caught up, so the publishers on the sending node pause as they would for a slow subscriber of their own.
 */
final class Inbox {

    private final String nodeId;
    private final Router router;
    private final ClusterStats stats;
    private final Duration slowSubscriberTimeout;
    private final ScheduledExecutorService timer;
    private final Function<String, PeerLink> links;
    private final BiConsumer<String, byte[]> sendTo;
    private final BrokerStore store;
    private final Arrivals arrivals;
    private final BooleanSupplier accepting;

    Inbox(String nodeId, Router router, ClusterStats stats, Duration slowSubscriberTimeout,
            ScheduledExecutorService timer, Function<String, PeerLink> links, BiConsumer<String, byte[]> sendTo,
            BrokerStore store, Arrivals arrivals, BooleanSupplier accepting) {
        this.accepting = accepting;
        this.store = store;
        this.arrivals = arrivals;
        this.nodeId = nodeId;
        this.router = router;
        this.stats = stats;
        this.slowSubscriberTimeout = slowSubscriberTimeout;
        this.timer = timer;
        this.links = links;
        this.sendTo = sendTo;
    }

    /** One frame from another node; called on the engine's event thread of this node's topic, in order. */
    void receive(byte[] bytes) {
        MessageBatchCodec.Frame frame = MessageBatchCodec.decode(bytes);
        if (frame.isAck()) {
            PeerLink link = links.apply(frame.sender());
            if (link != null) {
                link.acknowledged(frame.sequence(), frame.refused());
            }
            return;
        }
        if (!accepting.getAsBoolean()) {
            // This node is leaving: what it took now would stay in its own store only; the publishers are not
            // acknowledged, and their clients send it again.
            sendTo.accept(frame.sender(), MessageBatchCodec.ack(nodeId, frame.sequence(), true));
            return;
        }
        stats.received(frame.messages().size(), bytes.length);
        long changes = store.changesByThisThread();
        Subscriber congested = null;
        List<CompletableFuture<Void>> arriving = null;
        for (MessageBatchCodec.Forwarded forwarded : frame.messages()) {
            if (forwarded.target() != null) {
                CompletableFuture<Void> kept = arrivals.receive(forwarded.target(), forwarded.message());
                if (kept != null) {
                    arriving = arriving == null ? new ArrayList<>() : arriving;
                    arriving.add(kept);
                }
                continue;
            }
            Subscriber full = router.deliverForwarded(forwarded.message(), forwarded.groups());
            if (congested == null) {
                congested = full;
            }
        }
        Subscriber full = congested;
        Runnable acknowledgement = full == null ? () -> acknowledge(frame.sender(), frame.sequence())
                : () -> acknowledgeWhenDecongested(frame.sender(), frame.sequence(), full);
        if (arriving != null) {
            // Messages for sessions on their way here: the sender's publishers are acknowledged once those
            // sessions keep them.
            Runnable whenArrived = acknowledgement;
            CompletableFuture<?>[] kept = arriving.toArray(CompletableFuture[]::new);
            acknowledgement = () -> CompletableFuture.allOf(kept)
                    .whenComplete((done, failure) -> {
                        if (failure == null) {
                            timer.execute(whenArrived);
                        } else {
                            timer.execute(() -> sendTo.accept(frame.sender(),
                                    MessageBatchCodec.ack(nodeId, frame.sequence(), true)));
                        }
                    });
        }
        if (store.changesByThisThread() == changes) {
            acknowledgement.run();
        } else {
            // The batch changed durable sessions: the sender's publishers are acknowledged once those are kept.
            Runnable afterwards = acknowledgement;
            store.whenDurable(() -> timer.execute(afterwards));
        }
    }

    /**
     * The acknowledgement waits for the subscriber to catch up, or for {@code midge.slow-subscriber-timeout},
     * after which the subscriber is disconnected as it would be for a publisher of this node.
     */
    private void acknowledgeWhenDecongested(String sender, long sequence, Subscriber congested) {
        AtomicBoolean sent = new AtomicBoolean();
        // The callback may run on an event loop: the send to the engine is moved off it.
        Runnable ack = () -> {
            if (sent.compareAndSet(false, true)) {
                timer.execute(() -> acknowledge(sender, sequence));
            }
        };
        congested.whenDecongested(ack);
        if (!slowSubscriberTimeout.isZero()) {
            timer.schedule(() -> {
                if (!sent.get()) {
                    congested.congestedTooLong();
                    ack.run();
                }
            }, slowSubscriberTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void acknowledge(String sender, long sequence) {
        sendTo.accept(sender, MessageBatchCodec.ack(nodeId, sequence));
    }
}
