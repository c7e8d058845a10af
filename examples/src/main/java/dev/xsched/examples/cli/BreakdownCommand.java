package dev.xsched.examples.cli;

import dev.xsched.examples.scenario.BreakdownReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code xsched breakdown DIR...}: where the HP time went in finished demo runs, from their hp-breakdown.csv. */
@Command(name = "breakdown",
        description = {"prints where the online model's time went ('where the HP time goes') for each 'xsched demo' "
                + "output folder, from its hp-breakdown.csv",
                "Reads runs made elsewhere (a GPU host) or before this version's summary lines existed."})
final class BreakdownCommand extends Subcommand {
    @Parameters(paramLabel = "DIR", arity = "1..*", description = "output folders of 'xsched demo' (hp-breakdown.csv)")
    List<Path> folders;

    BreakdownCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() throws Exception {
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                throw new ParameterException(spec.commandLine(), "no such folder: " + folder);
            }
            if (!BreakdownReport.present(folder)) {
                throw new IllegalArgumentException(folder + " has no hp-breakdown.csv (an output folder of xsched demo)");
            }
        }
        for (Path folder : folders) {
            if (folders.size() > 1) {
                out().println("== " + folder);
            }
            BreakdownReport.print(folder, out());
        }
        return 0;
    }
}
