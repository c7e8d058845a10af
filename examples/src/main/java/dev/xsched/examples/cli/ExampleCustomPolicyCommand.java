package dev.xsched.examples.cli;

import dev.xsched.examples.custompolicy.CustomPolicyExample;
import picocli.CommandLine.Command;

/** {@code xsched example custom-policy}: {@link CustomPolicyExample}. */
@Command(name = "custom-policy",
        description = "a policy written outside the library, plugged in through the SPI")
final class ExampleCustomPolicyCommand extends Subcommand {
    ExampleCustomPolicyCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() {
        CustomPolicyExample.run(out());
        return 0;
    }
}
