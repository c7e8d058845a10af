package dev.xsched.examples.cli;

import dev.xsched.examples.adoption.StreamToXQueue;
import dev.xsched.hip.Hip;
import picocli.CommandLine.Command;

/** {@code xsched example adoption}: {@link StreamToXQueue}. */
@Command(name = "adoption",
        description = "a program moving from a plain stream to an XQueue")
final class ExampleAdoptionCommand extends Subcommand {
    ExampleAdoptionCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() {
        StreamToXQueue.run(Hip.platformOrSimulator(), out());
        return 0;
    }
}
