package dev.xsched.examples.resnet;

import dev.xsched.hip.Dim3;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * The kernel-duration trace format that the simulated GPU replays
 * ({@link dev.xsched.hip.sim.TraceCostModel}): optional {@code #} comment lines, which the reader
 * skips, then the header {@value #HEADER} and one line per launch, durations in microseconds.
 */
public final class TraceCsv {
    public static final String HEADER = "kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,kernel_us";

    /** One launch and its measured duration. */
    public record Row(String kernel, Dim3 grid, Dim3 block, double kernelMicros) {
        public Row {
            if (!kernel.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("kernel name must be a C identifier, got '" + kernel + "'");
            }
            if (!(kernelMicros >= 0) || Double.isInfinite(kernelMicros)) {
                throw new IllegalArgumentException("kernelMicros must be finite and >= 0, got " + kernelMicros);
            }
        }

        String toCsv() {
            return String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%d,%.3f", kernel, grid.x(), grid.y(), grid.z(),
                    block.x(), block.y(), block.z(), kernelMicros);
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
