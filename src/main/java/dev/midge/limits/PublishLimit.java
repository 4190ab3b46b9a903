package dev.midge.limits;

import dev.midge.config.LimitsConfig.OnExcess;

/**
 * The publish limits that apply to one client, after the rules: a rate of 0 is none. Immutable; one per rule,
 * shared by the clients it matches.
 *
 * @param rate PUBLISH packets per second
 * @param burst PUBLISH packets at once
 * @param bytesRate payload bytes per second
 * @param bytesBurst payload bytes at once
 */
public record PublishLimit(double rate, double burst, double bytesRate, double bytesBurst, OnExcess onExcess) {

    public boolean limitsAnything() {
        return rate > 0 || bytesRate > 0;
    }

    /** A client's own buckets, full; call on the client's loop with its clock. */
    public PublishMeter newMeter(long now) {
        return new PublishMeter(this, now);
    }

    /** The burst set, or the rate's one second's worth, at least one. */
    static double burstOr(double rate, double burst) {
        return burst > 0 ? burst : Math.max(1, rate);
    }
}
