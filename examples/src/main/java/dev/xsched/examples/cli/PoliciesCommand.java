package dev.xsched.examples.cli;

import dev.xsched.policies.PolicyCatalog;
import picocli.CommandLine.Command;

/** {@code xsched policies}: the installed policies, found through the SPI like the scheduler finds them. */
@Command(name = "policies",
        description = "the installed scheduling policies, their descriptions and parameters")
final class PoliciesCommand extends Subcommand {
    PoliciesCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() {
        out().print(PolicyCatalog.format());
        return 0;
    }
}
