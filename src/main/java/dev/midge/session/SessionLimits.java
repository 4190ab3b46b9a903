package dev.midge.session;

import dev.midge.limits.MemoryWatermark;

/**
 * Per-session bounds on QoS 1/2 messages: unacknowledged in flight, and waiting in the queue; and the watermark
 * of the bytes all sessions hold, which each session counts its messages into.
 */
public record SessionLimits(int maxInflight, int maxQueued, MemoryWatermark memory) {
}
