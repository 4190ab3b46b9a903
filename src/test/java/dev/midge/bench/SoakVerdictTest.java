package dev.midge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.bench.SoakVerdict.Sample;
import dev.midge.bench.SoakVerdict.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak run's verdict: no acknowledged loss, and heap and RSS flat over the second half. */
class SoakVerdictTest {

    /** 30 minutes sampled every 10 s. */
    private static List<Sample> samples(IntToDoubleFunction heap, IntToDoubleFunction rss) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 180; i++) {
            samples.add(new Sample(i * 10.0, heap.applyAsDouble(i), rss.applyAsDouble(i)));
        }
        return samples;
    }

    @Test
    void flatButNoisyMemoryWithoutLossPasses() {
        // Warm-up growth in the first half, then a saw tooth of +-20% as garbage comes and goes.
        Verdict v = SoakVerdict.judge(samples(i -> (i < 60 ? 20_000 + i * 500 : 50_000) * (i % 3 == 0 ? 1.2 : 0.9),
                i -> 300_000 + (i % 5) * 3_000), 0);
        assertTrue(v.passed(), v.line());
        assertTrue(v.line().startsWith("PASS"));
    }

    @Test
    void aHeapThatKeepsGrowingFails() {
        // 50 MiB growing 100 KiB per sample: 9 MiB over the second half, about 15% of its mean.
        Verdict v = SoakVerdict.judge(samples(i -> 50_000 + i * 100, i -> 300_000), 0);
        assertFalse(v.passed());
        assertTrue(v.line().contains("heap grows"), v.line());
    }

    @Test
    void aGrowingRssFailsToo() {
        Verdict v = SoakVerdict.judge(samples(i -> 50_000, i -> 300_000 + i * 1_000), 0);
        assertFalse(v.passed());
        assertTrue(v.line().contains("RSS grows"), v.line());
    }

    @Test
    void anyAcknowledgedLossFails() {
        Verdict v = SoakVerdict.judge(samples(i -> 50_000, i -> 300_000), 1);
        assertFalse(v.passed());
        assertEquals(1, v.lost());
    }

    @Test
    void tooShortARunIsNoPass() {
        Verdict v = SoakVerdict.judge(samples(i -> 50_000, i -> 300_000).subList(0, 8), 0);
        assertFalse(v.passed(), v.line());
    }

    @Test
    void readsTheScriptsCsvSkippingTheHeaderAndMissedSamples(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("samples.csv");
        Files.writeString(csv, "seconds,heap_kib,rss_kib,lost\n0,100,200,0\n10,,210,0\n20,110,220,0\n");
        List<Sample> read = SoakVerdict.read(csv);
        assertEquals(List.of(new Sample(0, 100, 200), new Sample(20, 110, 220)), read);
    }
}
