package dev.xsched.examples.cli;

import dev.xsched.examples.bench.PreemptionBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code xsched bench preemption}: {@link PreemptionBenchmark}. */
@Command(name = "preemption", sortOptions = false,
        description = {"HP wait behind LP kernels of given block lengths, per preemption mechanism",
                "Mechanisms: gating (XQueues, HPF), hw-priority (stream priorities), both, sliced launches and "
                        + "cooperative yield; LP throughput against LP alone. Prints a table; writes preemption.json "
                        + "with --output."})
final class BenchPreemptionCommand extends Subcommand {
    @Option(names = "--block-ms", paramLabel = "MS", split = ",",
            description = "LP thread-block lengths (default ${DEFAULT-VALUE})")
    List<Double> blockMs = new ArrayList<>(PreemptionBenchmark.Options.DEFAULT_BLOCK_MS);

    @Option(names = "--probes", paramLabel = "N", description = "HP probes per mechanism and block length, >= 5 (default ${DEFAULT-VALUE})")
    int probes = PreemptionBenchmark.Options.DEFAULT_PROBES;

    @Option(names = "--check-us", paramLabel = "US",
            description = "cooperative yield: spinning between two yield checks (default ${DEFAULT-VALUE})")
    double checkUs = PreemptionBenchmark.Options.DEFAULT_CHECK_US;

    @Option(names = "--output", paramLabel = "DIR", description = "folder for preemption.json (default: none written)")
    Path output;

    BenchPreemptionCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() throws Exception {
        PreemptionBenchmark.run(options(), out());
        return 0;
    }

    PreemptionBenchmark.Options options() {
        return validated(() -> new PreemptionBenchmark.Options(blockMs, probes, checkUs, output));
    }
}
