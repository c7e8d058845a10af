package dev.xsched.examples.cli;

import dev.xsched.examples.bench.Mode;
import dev.xsched.examples.bench.PolicyBenchmark;
import dev.xsched.examples.bench.PolicyOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code xsched bench policies}: {@link PolicyBenchmark}. */
@Command(name = "policies", sortOptions = false,
        description = {"bandwidth shares (up 75/25), fair sharing (cfs 2:1), deadlines (kedf) against native",
                "What hardware stream priorities cannot give, against native (equal streams) and native with stream "
                        + "priorities, with synthetic kernels of controlled length on the chosen platform's device 0 (or the "
                        + "simulated one). Prints a table per benchmark and writes <bench>.json, <bench>-*.csv and "
                        + "<bench>.png to the output folder; 'xsched chart DIR' redraws the PNG files from the CSV files."})
final class BenchPoliciesCommand extends Subcommand {
    @Option(names = "--duration", paramLabel = "S", description = "measured seconds per configuration (default ${DEFAULT-VALUE})")
    double duration = PolicyOptions.DEFAULT_SECONDS;

    @Option(names = "--warmup", paramLabel = "S", description = "unmeasured seconds before each configuration (default ${DEFAULT-VALUE})")
    double warmup = PolicyOptions.DEFAULT_WARMUP;

    @Option(names = "--only", paramLabel = "BENCH", split = ",",
            description = {"partition, fair, deadline, priority (default: all four); priority is ResNet-18 against "
                    + "ResNet-50 under hpf and native-priority (the demo's scenario)"})
    List<String> only = new ArrayList<>(PolicyOptions.BENCHMARKS);

    @Option(names = "--kernel-ms", paramLabel = "MS",
            description = "length of one kernel of the partition and fair-share jobs (default ${DEFAULT-VALUE})")
    double kernelMs = PolicyOptions.DEFAULT_KERNEL_MS;

    @Option(names = "--modes", paramLabel = "MODE", split = ",", converter = ModeConverter.class,
            description = {"run only these configurations of each benchmark, e.g. native,xsched-up,xsched-kedf "
                    + "(default: all; partition's throughput is against native, so keep native for that figure)"})
    List<Mode> modes = new ArrayList<>();

    @Option(names = "--output", paramLabel = "DIR", description = "where results go (default results/policies-<timestamp>/)")
    Path output;

    BenchPoliciesCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() throws Exception {
        PolicyBenchmark.run(options(), out());
        return 0;
    }

    PolicyOptions options() {
        return validated(() -> new PolicyOptions(duration, warmup, only, kernelMs,
                output != null ? output : PolicyOptions.defaultOutput(), modes));
    }
}
