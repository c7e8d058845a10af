package dev.xsched.examples.cli;

import dev.xsched.examples.bench.IpcBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** {@code xsched bench ipc}: {@link IpcBenchmark}. */
@Command(name = "ipc", sortOptions = false,
        description = {"decision latency of the scheduler server across processes (P50, P99, max)",
                "Client A (this JVM) and client B (a second JVM) under one server with hpf: from A's queue turning "
                        + "ready to the suspend applied in B, and from A turning idle to B resumed. Prints a table and "
                        + "one JSON line."})
final class BenchIpcCommand extends Subcommand {
    @Option(names = "--rounds", paramLabel = "N", description = "measured rounds (default ${DEFAULT-VALUE})")
    int rounds = IpcBenchmark.Options.DEFAULT_ROUNDS;

    @Option(names = "--warmup", paramLabel = "N", description = "unmeasured rounds first (default ${DEFAULT-VALUE})")
    int warmup = IpcBenchmark.Options.DEFAULT_WARMUP;

    @Option(names = "--interval-ms", paramLabel = "MS",
            description = "a pause before each measured round, so that every thread on the path wakes from a long "
                    + "block as between the demo's requests (50 at 20 requests/s); default ${DEFAULT-VALUE}: back to back")
    long intervalMs;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "a running server's socket ('xsched server'); default: a server started in this JVM")
    Path socket;

    @Option(names = "--output", paramLabel = "DIR", description = "also write DIR/results.json")
    Path output;

    BenchIpcCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() throws Exception {
        IpcBenchmark.run(validated(() -> new IpcBenchmark.Options(rounds, warmup, socket, output,
                Duration.ofMillis(intervalMs))), out());
        return 0;
    }
}
