package dev.midge.protocol;

import dev.midge.routing.Congestion;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Holds back what a connection reads while it may not be handled yet: until the password is checked and the
 * session is attached, while the client is over its {@code midge.limits} publish rate, and while
 * the connection is paused as a publisher because a subscriber it feeds is congested, or sessions hold more than
 * {@code midge.limits.memory-high}. A paused connection stops reading its socket, so TCP holds its client back;
 * acknowledgements it has read still go through, as they drain its own session. Everything runs on the
 * connection's event loop.
 */
final class InboundGate {

    /** How often a paused publisher looks again at the subscriber it waits for. */
    private static final long RECHECK_MILLIS = 100;

    private final MqttConnection connection;
    private final ChannelHandlerContext ctx;
    private final Duration slowSubscriberTimeout;
    /** Made when first needed: most connections never hold a packet back after CONNECT. */
    private ArrayDeque<MqttMessage> heldBack;
    private boolean paused;
    /** What the connection waits for while paused; null while paused for its publish rate. */
    private Congestion pausedFor;
    /** A resume is on its way, for acknowledgements that must be read. */
    private boolean resumingForAcknowledgements;
    /** Counts pauses, so that a re-check timer left from an earlier pause stops. */
    private int generation;

    /** For the connection, which it calls back to handle packets; no lambdas, as there is one per connection. */
    InboundGate(MqttConnection connection, ChannelHandlerContext ctx, Duration slowSubscriberTimeout) {
        this.connection = connection;
        this.ctx = ctx;
        this.slowSubscriberTimeout = slowSubscriberTimeout;
    }

    /** Keeps the packet (retained) for later when it may not be handled now; false when it may. */
    boolean holds(MqttMessage msg, boolean connecting) {
        if (connecting || (paused && !isAcknowledgement(msg))) {
            // One packet held is enough to stop reading: what is held stays bounded.
            ctx.channel().config().setAutoRead(false);
            if (heldBack == null) {
                heldBack = new ArrayDeque<>(2);
            }
            heldBack.add(ReferenceCountUtil.retain(msg));
            return true;
        }
        return false;
    }

    boolean isPaused() {
        return paused;
    }

    boolean isPausedForRate() {
        return paused && pausedFor == null;
    }

    /**
     * Stops reading while the client is over its publish rate. What it sent in the same read burst waits here
     * and passes the rate again when {@link #resume} replays it: otherwise one burst read before the pause
     * (up to Netty's read budget, thousands of small packets) would be routed at once.
     */
    void pauseForRate() {
        if (paused || !ctx.channel().isActive()) {
            return;
        }
        paused = true;
        pausedFor = null;
        generation++;
        ctx.channel().config().setAutoRead(false);
    }

    /** Handles held-back packets in order until paused again, then reads from the socket once more. */
    void resume() {
        paused = false;
        while (heldBack != null && !heldBack.isEmpty() && connection.isConnected() && !paused) {
            MqttMessage msg = heldBack.poll();
            try {
                connection.handle(msg);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
        if (connection.isConnected() && !paused) {
            heldBack = null;
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Stops reading until the congestion clears: a subscriber catches up, or the memory held comes down. */
    void pauseFor(Congestion congested) {
        if (paused || !ctx.channel().isActive()) {
            return;
        }
        paused = true;
        pausedFor = congested;
        int pause = ++generation;
        ctx.channel().config().setAutoRead(false);
        congested.whenDecongested(() -> ctx.executor().execute(() -> {
            // Congested again by another publisher since the wake-up: the re-check below takes over.
            if (paused && generation == pause && !congested.isCongested()) {
                resume();
            }
        }));
        recheckLater(congested, pause, System.nanoTime());
    }

    /**
     * A message went out that the client is to acknowledge. While paused for a congestion that any session's
     * draining clears (memory), this connection's acknowledgements may be what clears it: it reads again.
     * Later, not now: the session is in the middle of sending, and what was held back may touch it.
     */
    void awaitsAcknowledgement() {
        if (paused && pausedFor != null && pausedFor.drainedByEveryone() && !resumingForAcknowledgements) {
            resumingForAcknowledgements = true;
            ctx.executor().execute(() -> {
                resumingForAcknowledgements = false;
                if (paused && connection.isConnected()) {
                    resume();
                }
            });
        }
    }

    /**
     * The wake-up {@link #pauseFor} asks for is the fast path; this re-check guarantees that a paused publisher
     * never waits longer than one interval after its subscriber has caught up, whatever the order of events
     * between their loops, and that a subscriber that does not catch up within
     * {@code midge.slow-subscriber-timeout} is told so.
     */
    private void recheckLater(Congestion congested, int pause, long pausedAt) {
        ctx.executor().schedule(() -> {
            if (!paused || generation != pause || !connection.isConnected()) {
                return;
            }
            if (!congested.isCongested()) {
                resume();
                return;
            }
            long limit = slowSubscriberTimeout.toNanos();
            if (limit > 0 && System.nanoTime() - pausedAt >= limit) {
                // Its connection closes; offline, its session queues up to the limit and pauses no one.
                congested.congestedTooLong();
            }
            recheckLater(congested, pause, pausedAt);
        }, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The connection is gone: what is still held is let go. */
    void release() {
        if (heldBack != null) {
            heldBack.forEach(ReferenceCountUtil::release);
            heldBack = null;
        }
    }

    private static boolean isAcknowledgement(MqttMessage msg) {
        return switch (msg.fixedHeader().messageType()) {
            case PUBACK, PUBREC, PUBCOMP, PINGREQ -> true;
            default -> false;
        };
    }
}
