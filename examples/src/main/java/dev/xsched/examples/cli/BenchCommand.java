package dev.xsched.examples.cli;

import picocli.CommandLine.Command;

/** {@code xsched bench}: the benchmarks. */
@Command(name = "bench", synopsisSubcommandLabel = "BENCHMARK",
        description = "benchmarks (below); each prints tables and writes JSON",
        subcommands = {
                BenchLaunchCommand.class,
                BenchPoliciesCommand.class,
                BenchPreemptionCommand.class,
                BenchGemmCommand.class,
                BenchIpcCommand.class,
                BenchDecisionCommand.class,
        })
final class BenchCommand extends CommandGroup {
}
