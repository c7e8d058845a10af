package dev.xsched.examples.cli;

import dev.xsched.examples.reliability.Soak;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.sim.SimulatedPlatform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code xsched soak}: {@link Soak}. */
@Command(name = "soak", sortOptions = false,
        description = {"many XQueues, many commands: every command counted on the device, memory sampled",
                "On the chosen platform's device 0 (without a GPU: the simulator, kernels of no duration). Each command "
                        + "adds one to its queue's counter on the device; the counters must equal what each queue "
                        + "accepted. RSS, heap and Native Memory Tracking (run the JVM with "
                        + "-XX:NativeMemoryTracking=summary, e.g. through XSCHED_JAVA_OPTS) are sampled and must stay "
                        + "flat after warm-up. Exit status 1 when a command is lost or run twice, or memory grows."})
final class SoakCommand extends Subcommand {
    @Option(names = "--queues", paramLabel = "N", description = "XQueues, all open for the whole run (default ${DEFAULT-VALUE})")
    int queues = 1000;

    @Option(names = "--commands", paramLabel = "N", description = "kernel launches in all (default ${DEFAULT-VALUE})")
    long commands = 10_000_000;

    @Option(names = "--threads", paramLabel = "N", description = "submitter threads, each owning a share of the queues (default ${DEFAULT-VALUE})")
    int threads = 8;

    @Option(names = "--window", paramLabel = "N",
            description = "launches to each queue between two synchronizations of it (default ${DEFAULT-VALUE})")
    int window = 16;

    @Option(names = "--samples", paramLabel = "N", description = "memory samples over the run (default ${DEFAULT-VALUE})")
    int samples = 21;

    @Option(names = "--policy", paramLabel = "NAME", description = "the scheduler's policy (default ${DEFAULT-VALUE})")
    String policy = "pass-through";

    SoakCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() throws InterruptedException {
        Soak.Options options = validated(() -> new Soak.Options(queues, commands, threads, window, samples, policy));
        HipPlatform platform = Hip.platformOrSimulator();
        Soak.Report report;
        if (platform.isSimulated()) {
            try (SimulatedPlatform sim = Soak.simulated()) {
                report = Soak.run(options, sim, out());
            }
        } else {
            report = Soak.run(options, platform, out());
        }
        out().print(report.summary());
        return report.passed() && report.flat() ? 0 : 1;
    }
}
