package dev.midge.limits;

import java.util.concurrent.atomic.LongAdder;

/** How often each limit was exceeded, broker-wide; counted from any thread without locks or lookups. */
public final class LimitCounters {

    private final LongAdder[] exceeded = new LongAdder[LimitKind.values().length];

    public LimitCounters() {
        for (int i = 0; i < exceeded.length; i++) {
            exceeded[i] = new LongAdder();
        }
    }

    public void exceeded(LimitKind kind) {
        exceeded[kind.ordinal()].increment();
    }

    public long count(LimitKind kind) {
        return exceeded[kind.ordinal()].sum();
    }
}
