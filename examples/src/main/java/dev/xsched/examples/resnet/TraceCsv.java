package dev.xsched.examples.resnet;

import dev.xsched.hip.Dim3;
import dev.xsched.hip.sim.TraceCostModel;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The kernel-duration trace format that the simulated GPU replays
 * ({@link dev.xsched.hip.sim.TraceCostModel}): optional {@code #} comment lines, which the reader
 * skips, then the header {@value #HEADER} and one line per launch, durations in microseconds, and
 * the launch's integer arguments ({@link TraceCostModel#INT_ARGS_COLUMN}: layers of one kernel and
 * one grid that do different work replay with their own durations).
 */
public final class TraceCsv {
    public static final String HEADER = TraceCostModel.HEADER + "," + TraceCostModel.INT_ARGS_COLUMN;

    /**
     * One launch and its measured duration.
     *
     * @param intArgs the launch's integer arguments ({@link TraceCostModel#integerArguments}), for a
     *                sliceable kernel without the block offset; empty: not recorded
     */
    public record Row(String kernel, Dim3 grid, Dim3 block, double kernelMicros, List<Long> intArgs) {
        public Row {
            intArgs = List.copyOf(intArgs);
            if (!kernel.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("kernel name must be a C identifier, got '" + kernel + "'");
            }
            if (!(kernelMicros >= 0) || Double.isInfinite(kernelMicros)) {
                throw new IllegalArgumentException("kernelMicros must be finite and >= 0, got " + kernelMicros);
            }
        }

        /** A row without integer arguments. */
        public Row(String kernel, Dim3 grid, Dim3 block, double kernelMicros) {
            this(kernel, grid, block, kernelMicros, List.of());
        }

        String toCsv() {
            return String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%d,%.3f,%s", kernel, grid.x(), grid.y(), grid.z(),
                    block.x(), block.y(), block.z(), kernelMicros,
                    intArgs.stream().map(String::valueOf).collect(Collectors.joining(" ")));
        }
    }

    private TraceCsv() {
    }

    public static void write(Writer out, List<Row> rows) throws IOException {
        write(out, List.of(), rows);
    }

    /**
     * Writes {@code comments} as {@code # } lines before the header, then the rows.
     *
     * @throws IllegalArgumentException if a comment spans lines (the reader would take its second line for data)
     */
    public static void write(Writer out, List<String> comments, List<Row> rows) throws IOException {
        for (String comment : comments) {
            if (comment.contains("\n") || comment.contains("\r")) {
                throw new IllegalArgumentException("a trace comment must be one line, got '" + comment + "'");
            }
        }
        for (String comment : comments) {
            out.write("# ");
            out.write(comment);
            out.write('\n');
        }
        out.write(HEADER);
        out.write('\n');
        for (Row row : rows) {
            out.write(row.toCsv());
            out.write('\n');
        }
    }
}
