package dev.midge.limits;

import dev.midge.config.LimitsConfig.OnExcess;

/**
 * One client's publish rate: its message and byte buckets and how often it went over them. Made only for a
 * client with a limit, used only on its connection's event loop; it allocates nothing per message.
 */
public final class PublishMeter {

    /** A throttled client reads again once its buckets hold this share of their burst. */
    private static final double RESUME_SHARE = 0.5;

    private final PublishLimit limit;
    private final TokenBucket messages;
    private final TokenBucket bytes;
    private long hits;
    private boolean throttled;

    PublishMeter(PublishLimit limit, long now) {
        this.limit = limit;
        this.messages = limit.rate() > 0 ? new TokenBucket(limit.rate(), limit.burst(), now) : null;
        this.bytes = limit.bytesRate() > 0 ? new TokenBucket(limit.bytesRate(), limit.bytesBurst(), now) : null;
    }

    public OnExcess onExcess() {
        return limit.onExcess();
    }

    /**
     * Admits a PUBLISH of {@code payloadBytes} or says which limit it exceeds. When throttling, the message is
     * taken anyway (it was read already) and the caller stops reading until {@link #nanosUntilResume}.
     *
     * @return null when within both rates
     */
    public LimitKind admit(int payloadBytes, long now) {
        if (limit.onExcess() == OnExcess.THROTTLE) {
            return charge(payloadBytes, now);
        }
        if (messages != null && !messages.hasRoomFor(1, now)) {
            hits++;
            return LimitKind.PUBLISH_RATE;
        }
        if (bytes != null && !bytes.hasRoomFor(payloadBytes, now)) {
            hits++;
            return LimitKind.PUBLISH_BYTES_RATE;
        }
        if (messages != null) {
            messages.take(1, now);
        }
        if (bytes != null) {
            bytes.take(payloadBytes, now);
        }
        return null;
    }

    private LimitKind charge(int payloadBytes, long now) {
        LimitKind exceeded = null;
        if (messages != null) {
            messages.take(1, now);
            if (!messages.hasRoomFor(1, now)) {
                exceeded = LimitKind.PUBLISH_RATE;
            }
        }
        if (bytes != null) {
            bytes.take(payloadBytes, now);
            if (exceeded == null && bytes.isEmpty(now)) {
                exceeded = LimitKind.PUBLISH_BYTES_RATE;
            }
        }
        if (exceeded != null) {
            hits++;
        }
        return exceeded;
    }

    /** How long a throttled client waits until both buckets hold half their burst again. */
    public long nanosUntilResume(long now) {
        long wait = 0;
        if (messages != null) {
            wait = messages.nanosUntil(Math.max(1, messages.burst() * RESUME_SHARE), now);
        }
        if (bytes != null) {
            wait = Math.max(wait, bytes.nanosUntil(bytes.burst() * RESUME_SHARE, now));
        }
        return wait;
    }

    public void throttled(boolean now) {
        throttled = now;
    }

    /** What the admin API shows of this client's limit. */
    public LimitState state(long now) {
        return new LimitState(limit.rate(), messages == null ? null : messages.tokens(now), limit.bytesRate(),
                bytes == null ? null : bytes.tokens(now), limit.onExcess().name().toLowerCase(), throttled, hits);
    }
}
