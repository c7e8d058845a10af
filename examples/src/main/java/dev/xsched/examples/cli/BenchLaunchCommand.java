package dev.xsched.examples.cli;

import dev.xsched.core.XQueueConfig;
import dev.xsched.examples.bench.LaunchBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code xsched bench launch}: {@link LaunchBenchmark}. */
@Command(name = "launch", sortOptions = false,
        description = {"launch + synchronize round trip (median, P99) and launch throughput of an empty kernel",
                "On the chosen platform's device 0; prints a table and one JSON line. "
                        + "examples/src/main/c/launch_bench.c measures the same from C for comparison. Then the same "
                        + "through an XQueue against a stream of the same priority: round trips of an empty and a 20 us "
                        + "kernel (p50, p99, max), back-to-back launches of an empty and a 5 us kernel (XQueue time over "
                        + "stream time, the median of --rounds pairs)."})
final class BenchLaunchCommand extends Subcommand {
    @Option(names = "--iterations", paramLabel = "N", description = "measured round trips (default ${DEFAULT-VALUE})")
    int iterations = LaunchBenchmark.Options.DEFAULT_ITERATIONS;

    @Option(names = "--warmup", paramLabel = "N",
            description = "round trips before them, so the JIT has compiled the launch path (default ${DEFAULT-VALUE})")
    int warmup = LaunchBenchmark.Options.DEFAULT_WARMUP;

    @Option(names = "--launches", paramLabel = "N",
            description = "back-to-back launches of the throughput measurement (default ${DEFAULT-VALUE})")
    int launches = LaunchBenchmark.Options.DEFAULT_LAUNCHES;

    @Option(names = "--threshold", paramLabel = "N",
            description = "the XQueue rows' threshold: commands in flight at most (default ${DEFAULT-VALUE})")
    int threshold = XQueueConfig.DEFAULT_THRESHOLD;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "the XQueue rows' released commands per sync point, at most the threshold (default ${DEFAULT-VALUE})")
    int batchSize = XQueueConfig.DEFAULT_BATCH_SIZE;

    @Option(names = "--idle-poll-us", paramLabel = "N",
            description = "the XQueue rows' idle poll: its completion thread looks for work every N us instead of "
                    + "sleeping until a launch wakes it; 0: none, the queue's default (default ${DEFAULT-VALUE})")
    long idlePollMicros;

    @Option(names = "--rounds", paramLabel = "N",
            description = "back-to-back rounds of the XQueue rows, the stream and the XQueue timed one after the other in "
                    + "each (their order alternating); a row's ratio is the median of the rounds' (default ${DEFAULT-VALUE})")
    int rounds = LaunchBenchmark.Options.DEFAULT_ROUNDS;

    @Option(names = "--drain-budget-us", paramLabel = "N",
            description = "the XQueue rows' drain budget: their window moves between 2 commands and the threshold to keep "
                    + "the released work's drain time near N us (sync points thin out for short kernels), the queue's default; "
                    + "0: a fixed window (default ${DEFAULT-VALUE})")
    long drainBudgetMicros = LaunchBenchmark.Options.DEFAULT_DRAIN_BUDGET_MICROS;

    @Option(names = "--decide-on-submit", paramLabel = "on|off",
            description = "the XQueue rows' scheduler: the launch that makes the queue ready runs the policy's decision on "
                    + "the launching thread instead of waking the scheduling thread (default: the system property "
                    + "xsched.scheduler.decideOnSubmit or the variable XSCHED_DECIDE_ON_SUBMIT, else off)")
    OnOff decideOnSubmit;

    BenchLaunchCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() {
        LaunchBenchmark.run(options(), out());
        return 0;
    }

    LaunchBenchmark.Options options() {
        return validated(() -> new LaunchBenchmark.Options(iterations, warmup, launches, threshold, batchSize, idlePollMicros, rounds,
                drainBudgetMicros, OnOff.asked(decideOnSubmit)));
    }
}
