package dev.midge.limits;

/**
 * One client's publish limit as the admin API shows it.
 *
 * @param publishRate PUBLISH packets per second; 0 for none
 * @param tokens PUBLISH packets it may send at once now (negative while it owes); null without a rate
 * @param publishBytesRate payload bytes per second; 0 for none
 * @param byteTokens payload bytes it may send at once now; null without a byte rate
 * @param throttled whether its socket is not read now, until it is within its rate
 * @param hits how often it went over its rates
 */
public record LimitState(double publishRate, Double tokens, double publishBytesRate, Double byteTokens,
        String onExcess, boolean throttled, long hits) {
}
