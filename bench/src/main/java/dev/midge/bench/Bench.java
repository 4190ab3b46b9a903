package dev.midge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load generator's command line: {@code SCENARIO [--option value ...]} prints one JSON result line;
 * {@code summarize FILE METRIC...} prints a table of medians per scenario and broker from such lines.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: SCENARIO [--option value ...] | summarize FILE");
            System.err.println("scenarios: throughput fanin fanout latency flooder connections idle handshakes; exhaustion:"
                    + " idle-sockets slow-readers subscriptions deep-topic retained trickle property-flood; see"
                    + " bench/README.md");
            System.exit(2);
        }
        if (args[0].equals("summarize")) {
            System.out.print(summarize(Files.readAllLines(Path.of(args[1]))));
            return;
        }
        Result result = Scenarios.run(args[0], Options.parse(args, 1));
        System.out.println(result.toJson());
    }

    private static final Pattern FIELD = Pattern.compile("\"([^\"]+)\":(\"[^\"]*\"|[-0-9.eE]+|true|false)");

    /**
     * One row per case and metric: the median of each broker's runs and their ratio. A case is the line's
     * {@code case} field; the metric the line's {@code metric} field names.
     */
    static String summarize(List<String> lines) {
        Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
        List<String> brokers = new ArrayList<>();
        for (String line : lines) {
            Map<String, String> f = new LinkedHashMap<>();
            Matcher m = FIELD.matcher(line);
            while (m.find()) {
                f.put(m.group(1), m.group(2).replace("\"", ""));
            }
            if (!f.containsKey("case") || !f.containsKey("metric")) {
                continue;
            }
            String metric = f.get("metric");
            String broker = f.get("broker");
            if (!brokers.contains(broker)) {
                brokers.add(broker);
            }
            values.computeIfAbsent(f.get("case") + " | " + metric, k -> new LinkedHashMap<>())
                    .computeIfAbsent(broker, b -> new ArrayList<>()).add(Double.parseDouble(f.get(metric)));
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "| %-48s |", "case | metric"));
        brokers.forEach(b -> out.append(String.format(Locale.ROOT, " %14s |", b + " (median)")));
        out.append(brokers.size() == 2 ? String.format(Locale.ROOT, " %10s |%n", brokers.get(0) + "/" + brokers.get(1))
                : "\n");
        values.forEach((key, byBroker) -> {
            out.append(String.format(Locale.ROOT, "| %-48s |", key));
            List<Double> medians = new ArrayList<>();
            for (String b : brokers) {
                double median = median(byBroker.getOrDefault(b, List.of()));
                medians.add(median);
                out.append(String.format(Locale.ROOT, " %14.2f |", median));
            }
            if (medians.size() == 2) {
                double ratio = medians.get(1) == 0 ? 0 : medians.get(0) / medians.get(1);
                out.append(String.format(Locale.ROOT, " %10.2f |", ratio));
            }
            out.append('\n');
        });
        return out.toString();
    }

    private static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(xs);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
