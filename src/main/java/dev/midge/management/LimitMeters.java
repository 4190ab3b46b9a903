package dev.midge.management;

import dev.midge.limits.LimitCounters;
import dev.midge.limits.LimitKind;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code midge_limit_exceeded_total{limit=...}}: how often each of {@code midge.limits} was exceeded. */
final class LimitMeters {

    private LimitMeters() {
    }

    static void register(MeterRegistry registry, LimitCounters counters) {
        for (LimitKind kind : LimitKind.values()) {
            FunctionCounter.builder("midge.limit.exceeded", counters, c -> c.count(kind))
                    .description("Times a client or a listener went over one of midge.limits")
                    .tag("limit", kind.key())
                    .register(registry);
        }
    }
}
