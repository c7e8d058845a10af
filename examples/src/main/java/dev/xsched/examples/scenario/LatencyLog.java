package dev.xsched.examples.scenario;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The high-priority latencies as an HdrHistogram log ({@value #FILE}, beside the CSV): one
 * interval histogram per mode, tagged with the mode, values in nanoseconds. Tools of the
 * HdrHistogram family read it (HistogramLogProcessor, HdrHistogram's plotter, ...).
 */
final class LatencyLog {
    static final String FILE = "hp-latencies.hlog";
    /** The log's "max" column in milliseconds. */
    private static final double NANOS_PER_MILLI = 1e6;

    private LatencyLog() {
    }

    static Path write(List<ModeResult> results, Path folder) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve(FILE);
        List<ModeResult> withHp = results.stream().filter(ModeResult::hasHp).toList();
        long base = withHp.stream().mapToLong(ModeResult::startEpochMillis).min().orElse(System.currentTimeMillis());
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            HistogramLogWriter writer = new HistogramLogWriter(out);
            writer.outputComment("xsched demo: high-priority request latencies in ns, open loop (from each request's "
                    + "scheduled arrival), one interval per mode, tagged with the mode; max column in ms");
            writer.outputLogFormatVersion();
            writer.outputStartTime(base);
            writer.setBaseTime(base);
            writer.outputLegend();
            for (ModeResult r : withHp) {
                Histogram h = r.hp().histogram(r.mode().label(), r.startEpochMillis(), r.endEpochMillis());
                writer.outputIntervalHistogram((h.getStartTimeStamp() - base) / 1000.0, (h.getEndTimeStamp() - base) / 1000.0, h,
                        NANOS_PER_MILLI);
            }
        }
        return file;
    }
}
