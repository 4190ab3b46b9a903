package dev.midge.protocol;

import static dev.midge.protocol.ConnectionContext.LOG;

import dev.midge.limits.LimitKind;
import dev.midge.limits.Limits;
import dev.midge.limits.PublishLimit;
import dev.midge.limits.PublishMeter;
import io.netty.handler.codec.mqtt.MqttMessageType;
import java.util.concurrent.TimeUnit;

/**
 * A client's publish rate on its connection ({@code midge.limits.publish-rate} and friends) and what a PUBLISH
 * beyond it gets ({@code midge.limits.on-excess}): throttle stops reading the socket until the client's buckets
 * have refilled, so TCP holds the client back and nothing is lost; reject answers MQTT 5 with 0x96 and routes
 * nothing (MQTT 3, which cannot say no, gets its acknowledgement and loses the message); disconnect closes the
 * connection (MQTT 5: DISCONNECT 0x96). Made only for a client with a limit; on its loop, and allocating nothing
 * per message but the acknowledgement it sends.
 */
final class PublishRateLimit {

    /** A client over its rate is logged once a minute at most. */
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ConnectionContext connection;
    private final CloseFlow close;
    private final InboundGate gate;
    private final Limits limits;
    private final PublishMeter meter;
    private final Runnable resume = this::resume;
    /** This connection's entry in {@link dev.midge.limits.LiveMeters}. */
    private final Object shown;
    private boolean resumeScheduled;
    private boolean logged;
    private long loggedAt;

    private PublishRateLimit(ConnectionContext connection, CloseFlow close, InboundGate gate, Limits limits,
            PublishMeter meter) {
        this.connection = connection;
        this.close = close;
        this.gate = gate;
        this.limits = limits;
        this.meter = meter;
        this.shown = limits.liveMeters().add(connection.clientId, meter, connection.ctx.executor());
    }

    /** The connection has ended: its client's limit is no longer shown. */
    void ended() {
        limits.liveMeters().remove(connection.clientId, shown);
    }

    /** The limit of the connection's client, once its identity is known; null when none applies. */
    static PublishRateLimit of(ConnectionContext connection, CloseFlow close, InboundGate gate) {
        Limits limits = connection.services.limits();
        PublishLimit limit = limits.rules().forClient(connection.clientId, connection.identity.username());
        return limit == null ? null
                : new PublishRateLimit(connection, close, gate, limits, limit.newMeter(limits.nanoTime()));
    }

    /** False when the PUBLISH is not to be routed: rejected, or its connection closing. */
    boolean admit(int qos, int packetId, int payloadBytes) {
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
                if (qos > 0) {
                    MqttMessageType type = qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
                    connection.write(connection.dialect.ack(type, packetId, ReasonCode.MESSAGE_RATE_TOO_HIGH));
                }
                return false;
            }
            default -> {
                close.disconnect(ReasonCode.MESSAGE_RATE_TOO_HIGH, "over midge.limits." + exceeded.key());
                return false;
            }
        }
    }

    /** Stops reading until the buckets hold half their burst; one wake-up is scheduled at a time. */
    private void throttle(long now) {
        connection.ctx.channel().config().setAutoRead(false);
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
            // Packets read in the same burst as the one that emptied the buckets were taken too.
            resumeScheduled = true;
            connection.ctx.executor().schedule(resume, wait, TimeUnit.NANOSECONDS);
            return;
        }
        meter.throttled(false);
        if (!gate.isPaused()) {
            connection.ctx.channel().config().setAutoRead(true);
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
