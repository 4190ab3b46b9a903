package dev.midge.management.dashboard;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One second of the broker, as the dashboard's overview charts it.
 *
 * @param time epoch milliseconds when it was taken
 * @param messagesIn application messages received per second over the last interval
 * @param dropped messages not delivered since start, every reason together
 * @param limitHits connections, subscriptions and logins refused, and clients closed, for a configured limit
 *        since start
 * @param loopWaitMillis how long the slowest event loop's health probe has waited or took
 */
// Streamed as server-sent events and returned in lists, which the native build cannot see from signatures.
@RegisterForReflection
public record Sample(long time, long connections, long sessions, long subscriptions, long retained,
        double messagesIn, double messagesOut, double bytesIn, double bytesOut, long dropped, long limitHits,
        long loopWaitMillis, int wedgedLoops) {
}
