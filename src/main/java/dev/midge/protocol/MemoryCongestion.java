package dev.midge.protocol;

import dev.midge.limits.MemoryWatermark;
import dev.midge.routing.Congestion;

/**
 * The memory watermark as a congestion publishers pause on: congested from passing {@code memory-high} until
 * back at {@code memory-low}. Any session's acknowledgements bring it down, so a paused connection whose own
 * messages await acknowledgement goes on reading them.
 */
final class MemoryCongestion implements Congestion {

    private final MemoryWatermark watermark;

    MemoryCongestion(MemoryWatermark watermark) {
        this.watermark = watermark;
    }

    @Override
    public boolean isCongested() {
        return watermark.isHigh();
    }

    @Override
    public void whenDecongested(Runnable callback) {
        watermark.whenLow(callback);
    }

    @Override
    public boolean drainedByEveryone() {
        return true;
    }
}
