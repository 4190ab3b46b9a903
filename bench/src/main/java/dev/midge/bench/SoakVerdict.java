package dev.midge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The verdict on a soak run, from the samples {@code bench/soak.sh} wrote: PASS when no acknowledged QoS 1/2
 * message was lost and heap and RSS are flat. Flat means: over the second half of the run (the first half is
 * warm-up, when the JIT, pools and caches grow), the least-squares line through the samples rises by at most
 * {@link #MAX_GROWTH} of the second half's mean. A leak that adds a little per message shows as a steady
 * slope, which a fit sees through the ups and downs that garbage collection and buffers cause.
 *
 * <p>Usage: {@code java -cp midge-bench.jar dev.midge.bench.SoakVerdict samples.csv LOST}; exit status 0 on PASS.
 */
public final class SoakVerdict {

    /** The most the fitted line may rise over the second half, as a fraction of that half's mean. */
    static final double MAX_GROWTH = 0.10;
    /** Fewer samples than this in the second half say nothing either way. */
    static final int MIN_SAMPLES = 6;

    /** One sample: seconds since start, live heap and resident memory in KiB. */
    record Sample(double seconds, double heapKib, double rssKib) {
    }

    /** The figures and the outcome; {@code reasons} is empty exactly when it passed. */
    record Verdict(double heapGrowth, double rssGrowth, long lost, List<String> reasons) {
        boolean passed() {
            return reasons.isEmpty();
        }

        String line() {
            return String.format(Locale.ROOT, "%s: heap %+.1f%%, RSS %+.1f%% over the second half, %d acknowledged "
                    + "message(s) lost%s", passed() ? "PASS" : "FAIL", heapGrowth * 100, rssGrowth * 100, lost,
                    passed() ? "" : " (" + String.join("; ", reasons) + ")");
        }
    }

    private SoakVerdict() {
    }

    static Verdict judge(List<Sample> samples, long lost) {
        List<Sample> second = samples.subList(samples.size() / 2, samples.size());
        List<String> reasons = new ArrayList<>();
        if (lost > 0) {
            reasons.add(lost + " acknowledged message(s) never reached their subscriber");
        }
        if (second.size() < MIN_SAMPLES) {
            reasons.add("only " + second.size() + " samples in the second half, " + MIN_SAMPLES + " needed");
            return new Verdict(Double.NaN, Double.NaN, lost, reasons);
        }
        double heap = growth(second, true);
        double rss = growth(second, false);
        if (heap > MAX_GROWTH) {
            reasons.add(String.format(Locale.ROOT, "heap grows %.1f%% > %.0f%%", heap * 100, MAX_GROWTH * 100));
        }
        if (rss > MAX_GROWTH) {
            reasons.add(String.format(Locale.ROOT, "RSS grows %.1f%% > %.0f%%", rss * 100, MAX_GROWTH * 100));
        }
        return new Verdict(heap, rss, lost, reasons);
    }

    /** The rise of the least-squares line over the samples' time span, relative to their mean. */
    static double growth(List<Sample> samples, boolean heap) {
        int n = samples.size();
        double meanT = 0;
        double meanY = 0;
        for (Sample s : samples) {
            meanT += s.seconds() / n;
            meanY += (heap ? s.heapKib() : s.rssKib()) / n;
        }
        double cov = 0;
        double var = 0;
        for (Sample s : samples) {
            double dt = s.seconds() - meanT;
            cov += dt * ((heap ? s.heapKib() : s.rssKib()) - meanY);
            var += dt * dt;
        }
        if (var == 0 || meanY == 0) {
            return 0;
        }
        double span = samples.get(n - 1).seconds() - samples.get(0).seconds();
        return cov / var * span / meanY;
    }

    /** Reads {@code seconds,heap_kib,rss_kib} lines after a header line. */
    static List<Sample> read(Path csv) throws IOException {
        List<Sample> samples = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.split(",");
            if (f.length >= 3 && !f[1].isBlank() && !f[2].isBlank()) {
                samples.add(new Sample(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])));
            }
        }
        return samples;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: SoakVerdict samples.csv acknowledged-messages-lost");
            System.exit(2);
        }
        Verdict verdict = judge(read(Path.of(args[0])), Long.parseLong(args[1]));
        System.out.println(verdict.line());
        System.exit(verdict.passed() ? 0 : 1);
    }
}
