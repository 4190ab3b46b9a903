package dev.midge.management;

import dev.midge.limits.LimitCounters;
import dev.midge.limits.LimitKind;
import dev.midge.limits.Limits;
import dev.midge.limits.MemoryWatermark;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;

/**
 * {@code midge_limit_exceeded_total{limit=...}}: how often each of {@code midge.limits} was exceeded; and
 * {@code midge_session_held_bytes}, what all sessions hold against {@code midge.limits.memory-high}.
 */
final class LimitMeters {

    private LimitMeters() {
    }

    static void register(MeterRegistry registry, Limits limits) {
        LimitCounters counters = limits.counters();
        for (LimitKind kind : LimitKind.values()) {
            FunctionCounter.builder("midge.limit.exceeded", counters, c -> c.count(kind))
                    .description("Times a client or a listener went over one of midge.limits")
                    .tag("limit", kind.key())
                    .register(registry);
        }
        Gauge.builder("midge.session.held", limits.memory(), MemoryWatermark::heldBytes)
                .description("Bytes of messages (payload and topic) all sessions hold, queued and in flight, "
                        + "against midge.limits.memory-high")
                .baseUnit(BaseUnits.BYTES)
                .strongReference(true)
                .register(registry);
    }
}
