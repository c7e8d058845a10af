package dev.xsched.examples.cli;

import picocli.CommandLine.Command;

/** {@code xsched example}: the example programs. */
@Command(name = "example", synopsisSubcommandLabel = "EXAMPLE",
        description = "example programs (below)",
        subcommands = {
                ExampleAdoptionCommand.class,
                ExampleCustomPolicyCommand.class,
                ExampleBlasCommand.class,
                ExampleAdoptStreamCommand.class,
        })
final class ExampleCommand extends CommandGroup {
}
