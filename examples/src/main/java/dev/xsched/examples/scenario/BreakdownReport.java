package dev.xsched.examples.scenario;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        Path file = folder.resolve(RequestBreakdown.FILE);
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || !lines.getFirst().equals(RequestBreakdown.HEADER)) {
            throw new IllegalArgumentException(file + " does not start with the header of " + RequestBreakdown.FILE + " ("
                    + RequestBreakdown.HEADER + ")");
        }
        List<RequestBreakdown.Row> rows = lines.subList(1, lines.size()).stream().filter(line -> !line.isBlank())
                .map(RequestBreakdown.Row::parse).toList();
        BreakdownSummary.print(rows, out);
    }
}
