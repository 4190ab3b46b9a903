package dev.midge.protocol;

import static dev.midge.protocol.ConnectionContext.LOG;

import dev.midge.limits.LimitKind;
import dev.midge.limits.Limits;
import dev.midge.limits.PublishLimit;
import dev.midge.limits.PublishMeter;
import dev.midge.message.Message;
import io.netty.handler.codec.mqtt.MqttMessageType;
import java.util.concurrent.TimeUnit;

/**
 * What {@code midge.limits} asks of one client's PUBLISHes, on its connection: its publish rate, and how many
 * retained messages it may own. Made only for a client with a limit, so a client without one costs one null
 * check per PUBLISH; on the connection's loop, allocating nothing per message but the acknowledgement it sends.
 * <p>
 * A PUBLISH beyond the rate gets what {@code midge.limits.on-excess} says: throttle stops reading the socket
 * until the client's buckets have refilled, so TCP holds the client back and nothing is lost (the PUBLISH that
 * emptied the buckets goes through, what was read with it waits in the {@link InboundGate}); reject answers
 * MQTT 5 with 0x96 and routes nothing (MQTT 3, which cannot say no, gets its acknowledgement and loses the
 * message); disconnect closes the connection (MQTT 5: DISCONNECT 0x96). A retained PUBLISH that would make the
 * client own more than {@code midge.limits.max-retained-per-client} is refused the same way as reject, with
 * 0x97 (Quota exceeded); clearing or replacing its own is always allowed.
 */
final class InboundLimits {

    /** A client over its rate is logged once a minute at most. */
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ConnectionContext connection;
    private final CloseFlow close;
    private final InboundGate gate;
    private final Limits limits;
    /** Null without a publish rate. */
    private final PublishMeter meter;
    /** 0 for no limit. */
    private final int maxRetained;
    private final Runnable resume = this::resume;
    /** This connection's entry in {@link dev.midge.limits.LiveMeters}, or null. */
    private final Object shown;
    private boolean resumeScheduled;
    private boolean logged;
    private long loggedAt;

    private InboundLimits(ConnectionContext connection, CloseFlow close, InboundGate gate, Limits limits,
            PublishMeter meter) {
        this.connection = connection;
        this.close = close;
        this.gate = gate;
        this.limits = limits;
        this.meter = meter;
        this.maxRetained = limits.maxRetainedPerClient();
        this.shown = meter == null ? null
                : limits.liveMeters().add(connection.clientId, meter, connection.ctx.executor());
    }

    /** The limits of the connection's client, once its identity is known; null when none applies. */
    static InboundLimits of(ConnectionContext connection, CloseFlow close, InboundGate gate) {
        Limits limits = connection.services.limits();
        PublishLimit limit = limits.rules().forClient(connection.clientId, connection.identity.username());
        if (limit == null && limits.maxRetainedPerClient() == 0) {
            return null;
        }
        return new InboundLimits(connection, close, gate, limits,
                limit == null ? null : limit.newMeter(limits.nanoTime()));
    }

    /** The connection has ended: its client's limit is no longer shown. */
    void ended() {
        if (shown != null) {
            limits.liveMeters().remove(connection.clientId, shown);
        }
    }

    /** False when the PUBLISH is not to be routed: rejected, or its connection closing. */
    boolean admit(int qos, int packetId, int payloadBytes) {
        if (meter == null || isResent(qos, packetId)) {
            return true;
        }
        long now = limits.nanoTime();
        LimitKind exceeded = meter.admit(payloadBytes, now);
        if (exceeded == null) {
            return true;
        }
        limits.counters().exceeded(exceeded);
        switch (meter.onExcess()) {
            case THROTTLE -> {
                log(exceeded, "throttled", now);
                throttle(now);
                return true;
            }
            case REJECT -> {
                log(exceeded, "rejected", now);
                refuse(qos, packetId, ReasonCode.MESSAGE_RATE_TOO_HIGH);
                return false;
            }
            default -> {
                close.disconnect(ReasonCode.MESSAGE_RATE_TOO_HIGH, "over midge.limits." + exceeded.key());
                return false;
            }
        }
    }

    /** False when the retained message would make its client own too many; the refusal is written. */
    boolean admitsRetained(Message message, int packetId) {
        if (maxRetained == 0 || message.payload().length == 0 || isResent(message.qos(), packetId)
                || connection.services.router().retained().mayRetain(connection.clientId, message.topicName(),
                        maxRetained)) {
            return true;
        }
        limits.counters().exceeded(LimitKind.MAX_RETAINED_PER_CLIENT);
        log(LimitKind.MAX_RETAINED_PER_CLIENT, "not retained", limits.nanoTime());
        refuse(message.qos(), packetId, ReasonCode.QUOTA_EXCEEDED);
        return false;
    }

    /** A QoS 2 PUBLISH resent while its id awaits PUBREL: accepted already, so neither counted nor refused. */
    private boolean isResent(int qos, int packetId) {
        return qos == 2 && connection.sessionLoop.awaitingRelease().contains(packetId);
    }

    /** MQTT 5 hears the code; MQTT 3 gets its usual acknowledgement, as it has no way to say no. */
    private void refuse(int qos, int packetId, byte reasonCode) {
        if (qos > 0) {
            MqttMessageType type = qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
            connection.write(connection.dialect.ack(type, packetId, reasonCode));
        }
    }

    /** Stops reading until the buckets hold half their burst; one wake-up is scheduled at a time. */
    private void throttle(long now) {
        gate.pauseForRate();
        meter.throttled(true);
        if (!resumeScheduled) {
            resumeScheduled = true;
            connection.ctx.executor().schedule(resume, meter.nanosUntilResume(now), TimeUnit.NANOSECONDS);
        }
    }

    private void resume() {
        resumeScheduled = false;
        if (!connection.isConnected()) {
            return;
        }
        long now = limits.nanoTime();
        long wait = meter.nanosUntilResume(now);
        if (wait > 0) {
            // Charged again since this wake-up was planned: the gate replayed what it held for another reason.
            resumeScheduled = true;
            connection.ctx.executor().schedule(resume, wait, TimeUnit.NANOSECONDS);
            return;
        }
        meter.throttled(false);
        if (gate.isPausedForRate()) {
            // Replayed PUBLISHes pass the buckets again: the first that empties them pauses the gate anew.
            gate.resume();
        }
    }

    private void log(LimitKind exceeded, String outcome, long now) {
        if (logged && now - loggedAt < LOG_INTERVAL_NANOS) {
            return;
        }
        logged = true;
        loggedAt = now;
        LOG.warnf("Client %s over midge.limits.%s: %s (logged once a minute at most)", connection.clientId,
                exceeded.key(), outcome);
    }
}
