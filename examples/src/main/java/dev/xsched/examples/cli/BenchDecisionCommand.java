package dev.xsched.examples.cli;

import dev.xsched.examples.bench.DecisionBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** {@code xsched bench decision}: {@link DecisionBenchmark}. */
@Command(name = "decision", sortOptions = false,
        description = {"decision latency in one process at the online requests' pace (P50, P99, max)",
                "A batch queue keeps yieldable kernels in flight on the simulated GPU; every --interval-ms a "
                        + "high-priority queue gets one kernel: the time of that submission, and until the batch queue "
                        + "is suspended (hpf). Run each setting in its own JVM. Prints a table and one JSON line."})
final class BenchDecisionCommand extends Subcommand {
    @Option(names = "--rounds", paramLabel = "N", description = "measured requests (default ${DEFAULT-VALUE})")
    int rounds = DecisionBenchmark.Options.DEFAULT_ROUNDS;

    @Option(names = "--warmup", paramLabel = "N", description = "unmeasured requests first (default ${DEFAULT-VALUE})")
    int warmup = DecisionBenchmark.Options.DEFAULT_WARMUP;

    @Option(names = "--interval-ms", paramLabel = "MS",
            description = "between request starts (default ${DEFAULT-VALUE}: the scenario's 20 requests/s)")
    double intervalMs = DecisionBenchmark.Options.DEFAULT_INTERVAL_MS;

    @Option(names = "--decide-on-submit",
            description = "the submitting thread runs the decision round (XScheduler.Builder#decideOnSubmit)")
    boolean decideOnSubmit;

    @Option(names = "--output", paramLabel = "DIR", description = "also write DIR/results.json")
    Path output;

    BenchDecisionCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() throws Exception {
        DecisionBenchmark.run(validated(() -> new DecisionBenchmark.Options(rounds, warmup,
                Duration.ofNanos(Math.round(intervalMs * 1e6)), decideOnSubmit, output)), out());
        return 0;
    }
}
