package dev.midge.cluster;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the traffic between nodes; the forwarding path increments them, meters and $SYS read them. */
public final class ClusterStats {

    private final LongAdder forwardedMessages = new LongAdder();
    private final LongAdder forwardedBytes = new LongAdder();
    private final LongAdder forwardedBatches = new LongAdder();
    private final LongAdder receivedMessages = new LongAdder();
    private final LongAdder receivedBytes = new LongAdder();

    void forwarded(int messages, int bytes) {
        forwardedMessages.add(messages);
        forwardedBytes.add(bytes);
        forwardedBatches.increment();
    }

    void received(int messages, int bytes) {
        receivedMessages.add(messages);
        receivedBytes.add(bytes);
    }

    public long forwardedMessages() {
        return forwardedMessages.sum();
    }

    public long forwardedBytes() {
        return forwardedBytes.sum();
    }

    public long forwardedBatches() {
        return forwardedBatches.sum();
    }

    public long receivedMessages() {
        return receivedMessages.sum();
    }

    public long receivedBytes() {
        return receivedBytes.sum();
    }
}
