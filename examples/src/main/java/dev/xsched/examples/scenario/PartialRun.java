package dev.xsched.examples.scenario;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A demo whose mode failed after others had completed: those modes' results are written before the
 * failure is thrown, since each may have cost minutes of GPU time (a run of the default modes is
 * about 20 minutes at the seed's 180 s per mode).
 */
final class PartialRun {
    private PartialRun() {
    }

    /** The breakdown rows of the completed modes only: a failed mode's requests have no results to stand beside. */
    static List<RequestBreakdown.Row> rowsOf(List<ModeResult> completed, List<RequestBreakdown.Row> rows) {
        Set<String> modes = completed.stream().map(r -> r.mode().label()).collect(Collectors.toSet());
        return rows.stream().filter(row -> modes.contains(row.mode())).toList();
    }

    /** What the output says before the completed modes' results. */
    static String note(Exception failure, List<ModeResult> completed) {
        return "\na mode failed (" + failure.getMessage() + "): writing the results of the " + completed.size()
                + " mode(s) that completed (" + completed.stream().map(r -> r.mode().label()).collect(Collectors.joining(", "))
                + "), then exiting with the failure";
    }

    /**
     * Throws {@code failure} as a mode threw it: unchecked, an I/O failure (a process of the
     * two-process demo), or the run's interrupt. Declared to
     * return an exception so that a caller can write {@code throw PartialRun.rethrown(e)}.
     */
    static RuntimeException rethrown(Exception failure) throws IOException, InterruptedException {
        if (failure instanceof InterruptedException e) {
            throw e;
        }
        if (failure instanceof IOException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        throw new IllegalStateException(failure);
    }
}
