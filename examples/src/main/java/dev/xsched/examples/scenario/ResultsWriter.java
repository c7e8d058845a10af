package dev.xsched.examples.scenario;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The results as a table for people and as JSON for tools. */
final class ResultsWriter {
    private ResultsWriter() {
    }

    static void table(List<ModeResult> results, String platformLine, PrintStream out) {
        out.println();
        out.println(platformLine);
        out.printf(Locale.ROOT, "%-17s %8s %8s %8s %9s %9s %9s %6s %9s %9s %8s%n", "mode", "HP p50", "p95", "p99", "p99.9",
                "max", "rate/s", "reqs", "LP it/s", "img/s", "LP iters");
        for (ModeResult r : results) {
            Latencies hp = r.hp();
            out.printf(Locale.ROOT, "%-17s %8s %8s %8s %9s %9s %9s %6s %9s %9s %8s%n", r.mode(),
                    ms(r.hasHp(), hp.percentileMillis(50)), ms(r.hasHp(), hp.percentileMillis(95)),
                    ms(r.hasHp(), hp.percentileMillis(99)), ms(r.hasHp(), hp.percentileMillis(99.9)),
                    ms(r.hasHp(), hp.maxMillis()), r.hasHp() ? String.format(Locale.ROOT, "%.2f", r.hpAchievedRps()) : "-",
                    r.hasHp() ? Long.toString(r.hpRequests()) : "-",
                    r.hasLp() ? String.format(Locale.ROOT, "%.3f", r.lpItersPerSec()) : "-",
                    r.hasLp() ? String.format(Locale.ROOT, "%.0f", r.lpImagesPerSec()) : "-",
                    r.hasLp() ? Long.toString(r.lpIterations()) : "-");
        }
        out.println("(latencies in ms, from each request's scheduled arrival; LP = low-priority ResNet-50)");
    }

    private static String ms(boolean present, double value) {
        return present && !Double.isNaN(value) ? String.format(Locale.ROOT, "%.2f", value) : "-";
    }

    static Path json(List<ModeResult> results, ScenarioOptions options, String platform, String device, boolean simulated,
                     Path folder) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n");
        field(sb, 1, "date", java.time.OffsetDateTime.now().withNano(0).toString(), true);
        field(sb, 1, "platform", platform, true);
        field(sb, 1, "device", device, true);
        sb.append("  \"simulated\": ").append(simulated).append(",\n");
        sb.append("  \"options\": {")
                .append(String.format(Locale.ROOT, "\"rate\": %s, \"lp_batch\": %d, \"duration_s\": %s, \"warmup_s\": %s, "
                                + "\"threshold\": %d, \"batch_size\": %d, \"hw_priority\": %b, \"slice\": \"%s\"",
                        num(options.rate()), options.lpBatch(), num(options.seconds()), num(options.warmup()),
                        options.threshold(), options.batchSize(), options.hwPriority(), options.slice()))
                .append("},\n");
        sb.append("  \"runs\": [\n");
        for (int i = 0; i < results.size(); i++) {
            ModeResult r = results.get(i);
            Latencies hp = r.hp();
            sb.append("    {\"mode\": \"").append(r.mode()).append("\", \"platform\": \"").append(escape(platform)).append("\",\n");
            sb.append("     \"hp\": {");
            if (r.hasHp()) {
                sb.append(String.format(Locale.ROOT, "\"p50_ms\": %s, \"p95_ms\": %s, \"p99_ms\": %s, \"p999_ms\": %s, "
                                + "\"max_ms\": %s, \"mean_ms\": %s, \"achieved_rps\": %s, \"requests\": %d",
                        num(hp.percentileMillis(50)), num(hp.percentileMillis(95)), num(hp.percentileMillis(99)),
                        num(hp.percentileMillis(99.9)), num(hp.maxMillis()), num(hp.meanMillis()), num(r.hpAchievedRps()),
                        r.hpRequests()));
            }
            sb.append("},\n     \"lp\": {");
            if (r.hasLp()) {
                sb.append(String.format(Locale.ROOT, "\"iter_per_s\": %s, \"images_per_s\": %s, \"iterations\": %d",
                        num(r.lpItersPerSec()), num(r.lpImagesPerSec()), r.lpIterations()));
            }
            sb.append("}}").append(i + 1 < results.size() ? ",\n" : "\n");
        }
        sb.append("  ]\n}\n");
        Files.createDirectories(folder);
        Path file = folder.resolve("results.json");
        Files.writeString(file, sb.toString());
        return file;
    }

    private static void field(StringBuilder sb, int indent, String name, String value, boolean comma) {
        sb.append("  ".repeat(indent)).append('"').append(name).append("\": \"").append(escape(value)).append('"')
                .append(comma ? ",\n" : "\n");
    }

    private static String num(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : "null";
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
