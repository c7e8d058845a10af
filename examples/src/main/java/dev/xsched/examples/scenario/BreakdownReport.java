package dev.xsched.examples.scenario;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints the "where the HP time goes" summary of a finished run from its hp-breakdown.csv
 * ({@code xsched breakdown DIR}): the lines a run printed when it ended, and any that later
 * versions of {@link BreakdownSummary} add, so that older runs can be read the same way.
 */
public final class BreakdownReport {
    private BreakdownReport() {
    }

    /** Whether {@code folder} holds a breakdown to summarize. */
    public static boolean present(Path folder) {
        return Files.isRegularFile(folder.resolve(RequestBreakdown.FILE));
    }

    /**
     * Reads {@code folder}'s breakdown and prints its summary to {@code out}.
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if it is not a breakdown (wrong header, a malformed row)
     */
    public static void print(Path folder, PrintStream out) throws IOException {
        BreakdownSummary.print(RequestBreakdown.read(folder), out);
    }
}
