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
 * @param modes      the configurations to run in each benchmark (of native, native-priority and the
 *                   benchmark's policy); empty: all of them
 */
public record PolicyOptions(double seconds, double warmup, List<String> only, double kernelMs, Path output, List<Mode> modes) {
    public static final List<String> BENCHMARKS = List.of("partition", "fair", "deadline", "priority");
    public static final double DEFAULT_SECONDS = 20;
    public static final double DEFAULT_WARMUP = 1;
    public static final double DEFAULT_KERNEL_MS = 1;

    /** Checks the values, naming the option of a bad one; {@code only} in the canonical order, each once. */
    public PolicyOptions {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("--duration must be > 0, got " + seconds);
        }
        if (!(warmup >= 0)) {
            throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        }
        if (!(kernelMs > 0)) {
            throw new IllegalArgumentException("--kernel-ms must be > 0, got " + kernelMs);
        }
        List<String> names = only.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        for (String n : names) {
            if (!BENCHMARKS.contains(n)) {
                throw new IllegalArgumentException("--only takes partition, fair, deadline or priority (comma-separated), got '" + n + "'");
            }
        }
        only = BENCHMARKS.stream().filter(names::contains).toList();
        java.util.Objects.requireNonNull(output, "output");
        modes = List.copyOf(modes);
    }

    /** Every configuration of each benchmark. */
    public PolicyOptions(double seconds, double warmup, List<String> only, double kernelMs, Path output) {
        this(seconds, warmup, only, kernelMs, output, List.of());
    }

    /** Whether {@code --modes} lets {@code mode} run. */
    boolean runs(Mode mode) {
        return modes.isEmpty() || modes.contains(mode);
    }

    /** Where results go unless {@code --output} says: results/policies-TIMESTAMP. */
    public static Path defaultOutput() {
        return Path.of("results", "policies-" + java.time.LocalDateTime.now().withNano(0).toString().replace(':', '-'));
    }
}
