package dev.midge.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/** The range checks of {@code midge.limits.*}; each problem names its key, as {@link ConfigValidator}'s do. */
final class LimitsConfigCheck {

    private static final String PREFIX = "midge.limits.";

    private final Function<String, String> describe;
    private final List<String> problems;

    /**
     * @param describe a key with its value and where it came from
     * @param problems where problems are added
     */
    LimitsConfigCheck(Function<String, String> describe, List<String> problems) {
        this.describe = describe;
        this.problems = problems;
    }

    void check(LimitsConfig limits) {
        rates(PREFIX, limits.publishRate(), limits.publishBurst(), limits.publishBytesRate(),
                limits.publishBytesBurst());
        List<LimitsConfig.Rule> rules = limits.rules().orElse(List.of());
        for (int i = 0; i < rules.size(); i++) {
            LimitsConfig.Rule rule = rules.get(i);
            String prefix = PREFIX + "rules[" + i + "].";
            rates(prefix, rule.publishRate(), rule.publishBurst(), rule.publishBytesRate(), rule.publishBytesBurst());
            if (rule.username().isEmpty() && rule.clientIdPrefix().isEmpty()) {
                problems.add(PREFIX + "rules[" + i + "] needs username or client-id-prefix, so that it matches "
                        + "some clients only");
            }
        }
        atLeast(PREFIX + "connection-rate", limits.connectionRate(), 0);
        atLeast(PREFIX + "connection-burst", limits.connectionBurst(), 1);
        limits.maxRetainedPerClient().ifPresent(max -> {
            if (max < 1) {
                problems.add(describe.apply(PREFIX + "max-retained-per-client") + " must be at least 1");
            }
        });
        LimitsConfig.Flapping flapping = limits.flapping();
        if (flapping.maxCount() < 1) {
            problems.add(describe.apply(PREFIX + "flapping.max-count") + " must be at least 1");
        }
        if (flapping.maxTracked() < 1) {
            problems.add(describe.apply(PREFIX + "flapping.max-tracked") + " must be at least 1");
        }
        positive(PREFIX + "flapping.window", flapping.window());
        positive(PREFIX + "flapping.ban", flapping.ban());
        memory(limits);
    }

    private void memory(LimitsConfig limits) {
        boolean highOk = size(PREFIX + "memory-high", limits.memoryHigh());
        boolean lowOk = size(PREFIX + "memory-low", limits.memoryLow());
        if (!highOk || !lowOk) {
            return;
        }
        MemoryMarks marks = MemoryMarks.of(limits, Runtime.getRuntime().maxMemory());
        if (marks.isOn() && marks.low() >= marks.high()) {
            String high = limits.memoryHigh().isPresent() ? describe.apply(PREFIX + "memory-high")
                    : PREFIX + "memory-high (default, " + marks.high() + " bytes)";
            problems.add(describe.apply(PREFIX + "memory-low") + " must be less than " + high);
        }
    }

    /** False when the key is set to something that is not a size. */
    private boolean size(String key, Optional<String> value) {
        if (value.isPresent() && ByteSize.parse(value.get()) < 0) {
            problems.add(describe.apply(key) + " must be a size in bytes, such as 256M (K, M, G: powers of 1024)");
            return false;
        }
        return true;
    }

    private void rates(String prefix, OptionalDouble rate, OptionalDouble burst, OptionalDouble bytesRate,
            OptionalDouble bytesBurst) {
        atLeast(prefix + "publish-rate", rate, 0);
        atLeast(prefix + "publish-burst", burst, 1);
        atLeast(prefix + "publish-bytes-rate", bytesRate, 0);
        atLeast(prefix + "publish-bytes-burst", bytesBurst, 1);
    }

    private void atLeast(String key, OptionalDouble value, double min) {
        if (value.isPresent() && !(value.getAsDouble() >= min && Double.isFinite(value.getAsDouble()))) {
            problems.add(describe.apply(key) + " must be a number of at least " + (min == 0 ? "0 (no limit)" : "1"));
        }
    }

    private void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(describe.apply(key) + " must be a positive duration");
        }
    }
}
