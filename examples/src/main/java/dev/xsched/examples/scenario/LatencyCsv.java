package dev.xsched.examples.scenario;

import dev.xsched.examples.bench.Mode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every high-priority latency of a run, as {@code mode,latency_ms} rows: the raw data behind the
 * percentiles and the CDF, written first so the chart can be drawn later on another machine (GPU
 * hosts often have no fonts for AWT).
 */
final class LatencyCsv {
    static final String FILE = "hp-latencies.csv";

    private LatencyCsv() {
    }

    static Path write(List<ModeResult> results, Path folder) throws IOException {
        Files.createDirectories(folder);
        StringBuilder sb = new StringBuilder("mode,latency_ms\n");
        for (ModeResult r : results) {
            for (long nanos : r.hp().sorted()) {
                sb.append(r.mode()).append(',').append(String.format(Locale.ROOT, "%.4f", nanos / 1e6)).append('\n');
            }
        }
        Path file = folder.resolve(FILE);
        Files.writeString(file, sb.toString());
        return file;
    }

    /** Reads the latencies back as one {@link ModeResult} per mode (HP figures only). */
    static List<ModeResult> read(Path folder) throws IOException {
        Map<String, Latencies> byMode = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(folder.resolve(FILE));
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            int comma = line.lastIndexOf(',');
            if (comma < 0) {
                throw new IOException(folder.resolve(FILE) + ":" + (i + 1) + ": expected mode,latency_ms, got '" + line + "'");
            }
            double ms = Double.parseDouble(line.substring(comma + 1));
            byMode.computeIfAbsent(line.substring(0, comma), m -> new Latencies()).add(Math.round(ms * 1e6));
        }
        List<ModeResult> results = new ArrayList<>();
        byMode.forEach((mode, latencies) -> results.add(new ModeResult(Mode.parse(mode), latencies, latencies.count(), 0, 0, 0, 0, 0, 0)));
        return results;
    }
}
