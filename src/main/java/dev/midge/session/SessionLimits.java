package dev.midge.session;

/** Per-session bounds on QoS 1/2 messages: unacknowledged in flight, and waiting in the queue. */
public record SessionLimits(int maxInflight, int maxQueued) {
}
