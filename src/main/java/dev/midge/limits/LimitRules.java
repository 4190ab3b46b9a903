package dev.midge.limits;

import dev.midge.config.LimitsConfig;
import dev.midge.config.LimitsConfig.OnExcess;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Which publish limit applies to a client: the first of {@code midge.limits.rules} that matches its user name
 * and client id prefix, else the broker-wide one; what a rule leaves unset is the broker-wide value. Resolved
 * once per connection, at CONNECT; immutable and shared by all loops.
 */
public final class LimitRules {

    private final PublishLimit defaults;
    private final List<MatchedLimit> rules = new ArrayList<>();

    public LimitRules(LimitsConfig config) {
        double rate = orZero(config.publishRate());
        double bytesRate = orZero(config.publishBytesRate());
        defaults = new PublishLimit(rate, PublishLimit.burstOr(rate, orZero(config.publishBurst())), bytesRate,
                PublishLimit.burstOr(bytesRate, orZero(config.publishBytesBurst())), config.onExcess());
        for (LimitsConfig.Rule rule : config.rules().orElse(List.of())) {
            rules.add(new MatchedLimit(rule.username().orElse(null), rule.clientIdPrefix().orElse(null),
                    override(rule)));
        }
    }

    private PublishLimit override(LimitsConfig.Rule rule) {
        double rate = rule.publishRate().orElse(defaults.rate());
        double bytesRate = rule.publishBytesRate().orElse(defaults.bytesRate());
        // A rule that sets a rate without its burst gets that rate's burst, not the broker-wide one.
        double burst = rule.publishRate().isPresent()
                ? PublishLimit.burstOr(rate, rule.publishBurst().orElse(0))
                : rule.publishBurst().orElse(defaults.burst());
        double bytesBurst = rule.publishBytesRate().isPresent()
                ? PublishLimit.burstOr(bytesRate, rule.publishBytesBurst().orElse(0))
                : rule.publishBytesBurst().orElse(defaults.bytesBurst());
        OnExcess onExcess = rule.onExcess().orElse(defaults.onExcess());
        return new PublishLimit(rate, burst, bytesRate, bytesBurst, onExcess);
    }

    /** The limit of this client, or null when none applies (the common case: nothing is metered then). */
    public PublishLimit forClient(String clientId, String username) {
        PublishLimit limit = defaults;
        for (MatchedLimit rule : rules) {
            if (rule.matches(clientId, username)) {
                limit = rule.limit();
                break;
            }
        }
        return limit.limitsAnything() ? limit : null;
    }

    /** Whether any client may get a publish limit. */
    public boolean limitsAnyone() {
        return defaults.limitsAnything() || rules.stream().anyMatch(r -> r.limit().limitsAnything());
    }

    private static double orZero(OptionalDouble value) {
        return value.orElse(0);
    }

    /** A rule: null for a condition it does not set. */
    private record MatchedLimit(String username, String clientIdPrefix, PublishLimit limit) {
        boolean matches(String clientId, String user) {
            return (username == null || username.equals(user))
                    && (clientIdPrefix == null || (clientId != null && clientId.startsWith(clientIdPrefix)));
        }
    }
}
