package dev.midge.session;

import dev.midge.limits.MemoryWatermark;

/**
 * Per-session bounds on QoS 1/2 messages: unacknowledged in flight, and waiting in the queue; the watermark of
 * the bytes all sessions hold, which each session counts its messages into; and the longest a session outlives
 * its connection.
 *
 * @param maxExpiryInterval seconds, {@code midge.max-session-expiry}; {@link Session#NEVER_EXPIRES} for no limit
 */
public record SessionLimits(int maxInflight, int maxQueued, MemoryWatermark memory, long maxExpiryInterval) {
}
