package dev.xsched.examples.cli;

import dev.xsched.examples.reliability.ApiStress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code xsched stress}: {@link ApiStress}. */
@Command(name = "stress", sortOptions = false,
        description = {"a concurrency stress of the XQueue API on the simulated GPU, with a watchdog",
                "Threads create and close queues, launch, copy, record and wait for events across queues, synchronize, "
                        + "hint and switch policies at random. Fails (exit status 1) on a hang (with a dump of every "
                        + "thread), an undocumented exception, a launch lost or run twice, or a thread left behind. "
                        + "Prints the seed; the same seed gives the same mix of operations."})
final class StressCommand extends Subcommand {
    @Option(names = "--minutes", paramLabel = "M", description = "how long to run (default ${DEFAULT-VALUE}; ignored with --operations)")
    double minutes = 1;

    @Option(names = "--operations", paramLabel = "N", description = "run this many operations in all instead of for a time")
    Long operations;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default ${DEFAULT-VALUE})")
    int threads = 16;

    @Option(names = "--seed", paramLabel = "N", description = "seed of the operations (default: a new one, printed)")
    Long seed;

    @Option(names = "--stall-seconds", paramLabel = "S",
            description = "an operation taking longer is a hang (default ${DEFAULT-VALUE})")
    int stallSeconds = 60;

    @Option(names = "--decide-on-submit",
            description = "submitting threads run the policy's decision round when a queue turns ready (XScheduler.Builder#decideOnSubmit)")
    boolean decideOnSubmit;

    StressCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() throws InterruptedException {
        ApiStress.Options options = options();
        out().println("stress: seed " + options.seed() + ", " + options.threads() + " threads, "
                + (options.operations() > 0 ? options.operations() + " operations" : minutes + " minutes")
                + " (replay: xsched stress --seed " + options.seed() + ")");
        ApiStress.Report report = ApiStress.run(options, out());
        out().print(report.summary());
        return report.passed() ? 0 : 1;
    }

    ApiStress.Options options() {
        return validated(() -> {
            if (operations != null && operations <= 0) {
                // A non-positive count would otherwise fall back to a timed run without a word.
                throw new IllegalArgumentException("--operations must be > 0, got " + operations);
            }
            if (!(minutes > 0) && operations == null) {
                throw new IllegalArgumentException("--minutes must be > 0, or give --operations");
            }
            if (stallSeconds < 1) {
                throw new IllegalArgumentException("--stall-seconds must be >= 1");
            }
            return new ApiStress.Options(threads, operations != null ? operations : 0, Duration.ofMillis(Math.round(minutes * 60_000)),
                    seed != null ? seed : System.nanoTime(), Duration.ofSeconds(stallSeconds), 24, decideOnSubmit);
        });
    }
}
