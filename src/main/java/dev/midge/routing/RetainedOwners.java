package dev.midge.routing;

import java.util.HashMap;
import java.util.Map;

/**
 * How many retained messages each client owns (set last), for {@code midge.limits.max-retained-per-client}.
 * Changed only under the retained store's lock; messages the broker makes (no origin) belong to no one.
 */
final class RetainedOwners {

    private final Map<String, Integer> owned = new HashMap<>();

    void own(String origin) {
        if (origin != null) {
            owned.merge(origin, 1, Integer::sum);
        }
    }

    void disown(String origin) {
        if (origin != null) {
            owned.computeIfPresent(origin, (o, n) -> n == 1 ? null : n - 1);
        }
    }

    int count(String origin) {
        return owned.getOrDefault(origin, 0);
    }
}
