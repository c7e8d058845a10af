package dev.xsched.examples.cli;

import dev.xsched.examples.bench.PolicyCharts;
import dev.xsched.examples.scenario.ScenarioBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code xsched chart DIR}: redraws the charts of an output folder from its CSV files. */
@Command(name = "chart",
        description = {"(re)draws the PNG charts of a 'demo' or 'bench policies' output folder from its CSV files",
                "For results produced on a host without fonts (AWT cannot draw there)."})
final class ChartCommand extends Subcommand {
    @Parameters(paramLabel = "DIR", description = "an output folder of 'xsched demo' (hp-latencies.csv) or "
            + "'xsched bench policies' (*-shares.csv, deadline-responses.csv)")
    Path folder;

    ChartCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(folder)) {
            throw new ParameterException(spec.commandLine(), "no such folder: " + folder);
        }
        if (ScenarioBenchmark.hasLatencies(folder)) {
            ScenarioBenchmark.chart(folder, out());
            return 0;
        }
        if (PolicyCharts.redraw(folder, out())) {
            return 0;
        }
        throw new IllegalArgumentException(folder + " has neither hp-latencies.csv (xsched demo) nor *-shares.csv or "
                + "deadline-responses.csv (xsched bench policies)");
    }
}
