package dev.midge.config;

/**
 * The memory watermarks of {@code midge.limits.memory-high} and {@code memory-low}, in bytes, with their
 * defaults: high a share of the heap, low a share of high. A high mark of 0 is no watermark.
 */
public record MemoryMarks(long high, long low) {

    /** Share of the maximum heap that {@code memory-high} is by default. */
    public static final double HEAP_SHARE = 0.4;
    /** Share of {@code memory-high} that {@code memory-low} is by default. */
    public static final double LOW_SHARE = 0.8;

    /** The marks the settings give on a heap of at most {@code maxHeap} bytes; sizes must have been checked. */
    public static MemoryMarks of(LimitsConfig limits, long maxHeap) {
        long high = limits.memoryHigh().map(ByteSize::parse).orElse((long) (maxHeap * HEAP_SHARE));
        long low = limits.memoryLow().map(ByteSize::parse).orElse((long) (high * LOW_SHARE));
        return new MemoryMarks(high, low);
    }

    public boolean isOn() {
        return high > 0;
    }
}
