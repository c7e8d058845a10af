package dev.xsched.examples.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Options of {@code xsched bench policies}.
 *
 * @param seconds    measured seconds per configuration (mode)
 * @param warmup     unmeasured seconds before each configuration
 * @param only       the benchmarks to run, in order: partition, fair, deadline, priority
 * @param kernelMs   length of one synthetic kernel of the partition and fair-share jobs, in ms
 * @param output     folder for the JSON, CSV and PNG files
 */
record PolicyOptions(double seconds, double warmup, List<String> only, double kernelMs, Path output) {
    static final List<String> BENCHMARKS = List.of("partition", "fair", "deadline", "priority");

    PolicyOptions {
        if (!(seconds > 0) || !(warmup >= 0) || !(kernelMs > 0)) {
            throw new IllegalArgumentException("--duration and --kernel-ms must be > 0, --warmup >= 0");
        }
        only = List.copyOf(only);
    }

    static String usage() {
        return """
                usage: xsched bench policies [OPTIONS]
                  What hardware stream priorities cannot give: bandwidth shares (up 75/25), fair sharing (cfs 2:1)
                  and deadlines (kedf), against native (equal streams) and native with stream priorities, with
                  synthetic kernels of controlled length on the chosen platform's device 0 (or the simulated one).
                  Prints a table per benchmark and writes <bench>.json, <bench>-*.csv and <bench>.png.
                options:
                  --duration S        measured seconds per configuration (default 20)
                  --warmup S          unmeasured seconds before each configuration (default 1)
                  --only B[,B...]     partition, fair, deadline, priority (default: all four); priority is
                                      ResNet-18 against ResNet-50 under hpf and native-priority (the demo's scenario)
                  --kernel-ms MS      length of one kernel of the partition and fair-share jobs (default 1)
                  --output DIR        where results go (default results/policies-<timestamp>)
                  'xsched chart DIR' redraws the PNG files from the CSV files (for hosts without fonts).""";
    }

    static PolicyOptions parse(List<String> args) {
        double seconds = 20;
        double warmup = 1;
        List<String> only = BENCHMARKS;
        double kernelMs = 1;
        Path output = Path.of("results", "policies-" + java.time.LocalDateTime.now().withNano(0).toString().replace(':', '-'));
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("option " + name + " needs a value\n" + usage());
            }
            String value = args.get(++i);
            try {
                switch (name) {
                    case "--duration" -> seconds = Double.parseDouble(value);
                    case "--warmup" -> warmup = Double.parseDouble(value);
                    case "--kernel-ms" -> kernelMs = Double.parseDouble(value);
                    case "--only" -> only = parseOnly(value);
                    case "--output" -> output = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + name + "\n" + usage());
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " takes a number, got '" + value + "'");
            }
        }
        return new PolicyOptions(seconds, warmup, only, kernelMs, output);
    }

    private static List<String> parseOnly(String value) {
        List<String> names = List.of(value.toLowerCase(Locale.ROOT).split(","));
        for (String n : names) {
            if (!BENCHMARKS.contains(n)) {
                throw new IllegalArgumentException("--only takes partition, fair, deadline or priority (comma-separated), got '" + n + "'");
            }
        }
        // Always in the canonical order, each once.
        return BENCHMARKS.stream().filter(names::contains).toList();
    }
}
