package dev.xsched.examples.cli;

import dev.xsched.examples.adoption.ForeignStreamGemm;
import dev.xsched.hip.Hip;
import picocli.CommandLine.Command;

/** {@code xsched example adopt-stream}: {@link ForeignStreamGemm}. */
@Command(name = "adopt-stream",
        description = {"cuBLAS on a CUDA stream made by another binding, adopted and scheduled as an XQueue",
                "Needs the nvidia platform and cuBLAS (exit 2 where they are missing)."})
final class ExampleAdoptStreamCommand extends Subcommand {
    ExampleAdoptStreamCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() {
        return ForeignStreamGemm.run(Hip.platformOrSimulator(), out());
    }
}
