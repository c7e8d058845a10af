package dev.xsched.examples.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Tables for people, JSON for tools and CSV for the charts of {@code xsched bench policies}. */
final class PolicyReport {
    static final String SHARE_METHOD = "each job keeps its queue busy with device-filling kernels of one calibrated length; "
            + "its GPU time is its completed kernels x the kernel's standalone time, its share its kernels over all "
            + "completed kernels (completion seen by the host through an event after every " + PolicyBenchmark.CHUNK
            + " kernels); shares over time per " + PolicyBenchmark.WINDOW_NANOS / 1_000_000 + " ms window";
    static final String DEADLINE_METHOD = "each task releases its kernels at fixed instants (open loop) and synchronizes; "
            + "response = host sees the last kernel complete - scheduled release; a miss = response > relative deadline, "
            + "or the instance did not complete";

    private PolicyReport() {
    }

    /** The target share of job A and the goal text of a share benchmark. */
    static double target(String bench) {
        return bench.equals("partition") ? 0.75 : 2.0 / 3.0;
    }

    private static Mode policyMode(List<PolicyBenchmark.ShareRun> runs) {
        return runs.getLast().mode();
    }

    private static PolicyBenchmark.ShareRun find(List<PolicyBenchmark.ShareRun> runs, Mode mode) {
        return runs.stream().filter(r -> r.mode().equals(mode)).findFirst().orElse(null);
    }

    /** Whether the policy met the goal, and a sentence saying so. */
    static String verdict(String bench, List<PolicyBenchmark.ShareRun> runs) {
        PolicyBenchmark.ShareRun policy = runs.getLast();
        PolicyBenchmark.ShareRun nat = find(runs, Mode.NATIVE);
        ShareAccounting s = policy.shares();
        if (bench.equals("partition")) {
            double a = s.share(0);
            double rel = nat == null ? Double.NaN : s.utilization(policy.kernelMs() * 1e6) / nat.shares().utilization(nat.kernelMs() * 1e6);
            boolean ok = Math.abs(a - 0.75) <= 0.03 && Math.abs(s.share(1) - 0.25) <= 0.03 && !(rel < 0.97);
            return String.format(Locale.ROOT, "goal (shares within 3 points of 75/25, throughput >= 97%% of native): %s "
                    + "(%.1f/%.1f, %.1f%% of native)", ok ? "MET" : "NOT MET", 100 * a, 100 * s.share(1), 100 * rel);
        }
        double ratio = s.ratio(0, 1);
        boolean ok = Math.abs(ratio / 2 - 1) <= 0.05;
        return String.format(Locale.ROOT, "goal (A/B within 5%% of 2:1): %s (A/B = %.3f)", ok ? "MET" : "NOT MET", ratio);
    }

    static void shareTable(String bench, List<PolicyBenchmark.ShareRun> runs, String platformLine, PrintStream out) {
        PolicyBenchmark.ShareRun nat = find(runs, Mode.NATIVE);
        double nativeUtil = nat == null ? Double.NaN : nat.shares().utilization(nat.kernelMs() * 1e6);
        out.println();
        out.println(bench + " (" + (bench.equals("partition") ? "target A 75% / B 25%" : "target A:B = 2:1") + "), " + platformLine);
        out.printf(Locale.ROOT, "%-18s %8s %8s %7s %10s %8s %10s %11s%n", "mode", "A share", "B share", "A/B",
                "kernels/s", "busy", "vs native", "A win sd");
        for (PolicyBenchmark.ShareRun r : runs) {
            ShareAccounting s = r.shares();
            double util = s.utilization(r.kernelMs() * 1e6);
            out.printf(Locale.ROOT, "%-18s %7.1f%% %7.1f%% %7.2f %10.1f %7.1f%% %9.1f%% %10.1f%n", r.mode(), 100 * s.share(0),
                    100 * s.share(1), s.ratio(0, 1), s.totalKernels() / s.seconds(), 100 * util, 100 * util / nativeUtil,
                    100 * windowSd(s));
        }
        out.println("(" + SHARE_METHOD + "; busy = kernels x standalone time / wall time; A win sd = standard deviation of "
                + "A's share over the windows, in points)");
        out.println(verdict(bench, runs) + " [" + policyMode(runs) + "]");
    }

    /** Standard deviation of job A's per-window share (NaN windows skipped). */
    static double windowSd(ShareAccounting s) {
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int w = 0; w < s.windows(); w++) {
            double v = s.share(0, w);
            if (!Double.isNaN(v)) {
                sum += v;
                sq += v * v;
                n++;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double mean = sum / n;
        return Math.sqrt(Math.max(0, (sq - n * mean * mean) / (n - 1)));
    }

    static void shareFiles(String bench, List<PolicyBenchmark.ShareRun> runs, PolicyOptions options, String platformLine,
                           Path folder) throws IOException {
        Files.createDirectories(folder);
        StringBuilder csv = new StringBuilder("mode,window_start_s,share_a,share_b\n");
        for (PolicyBenchmark.ShareRun r : runs) {
            ShareAccounting s = r.shares();
            for (int w = 0; w < s.windows(); w++) {
                csv.append(String.format(Locale.ROOT, "%s,%.3f,%s,%s%n", r.mode(), w * s.windowNanos() / 1e9,
                        num(s.share(0, w)), num(s.share(1, w))));
            }
        }
        Files.writeString(folder.resolve(bench + "-shares.csv"), csv.toString());
        PolicyBenchmark.ShareRun nat = find(runs, Mode.NATIVE);
        double nativeUtil = nat == null ? Double.NaN : nat.shares().utilization(nat.kernelMs() * 1e6);
        List<ShareRunJson> runJson = runs.stream().map(r -> {
            ShareAccounting s = r.shares();
            double util = s.utilization(r.kernelMs() * 1e6);
            return new ShareRunJson(r.mode().label(), Json.figure(r.kernelMs()), s.kernels(0), s.kernels(1), Json.figure(s.share(0)),
                    Json.figure(s.share(1)), Json.figure(s.ratio(0, 1)), Json.figure(util), Json.figure(util / nativeUtil),
                    Json.figure(windowSd(s)));
        }).toList();
        Json.write(folder.resolve(bench + ".json"), new ShareReport(bench, now(), platformLine, OptionsJson.of(options),
                SHARE_METHOD, Json.figure(target(bench)), verdict(bench, runs), runJson));
    }

    /** {@code <bench>.json} of a share benchmark. */
    record ShareReport(String benchmark, String date, String platform, OptionsJson options, String method, Double targetShareA,
                       String verdict, List<ShareRunJson> runs) {
    }

    record ShareRunJson(String mode, Double kernelMs, long kernelsA, long kernelsB, Double shareA, Double shareB, Double ratioAB,
                        Double busy, Double throughputVsNative, Double windowShareASd) {
    }

    /** The options of the run, in every file. */
    record OptionsJson(Double durationS, Double warmupS, Double kernelMs) {
        static OptionsJson of(PolicyOptions options) {
            return new OptionsJson(Json.figure(options.seconds()), Json.figure(options.warmup()), Json.figure(options.kernelMs()));
        }
    }

    private static String now() {
        return java.time.OffsetDateTime.now().withNano(0).toString();
    }

    static void deadlineTable(List<PolicyBenchmark.DeadlineRun> runs, String platformLine, PrintStream out) {
        out.println();
        out.println("deadline, " + platformLine);
        out.printf(Locale.ROOT, "%-18s %4s %8s %6s %7s %8s %8s %8s %9s%n", "mode", "task", "released", "missed", "miss%",
                "p50 ms", "p99 ms", "max ms", "deadline");
        for (PolicyBenchmark.DeadlineRun r : runs) {
            for (int i = 0; i < r.tasks().size(); i++) {
                DeadlineAccounting d = r.tasks().get(i);
                PolicyBenchmark.Task t = PolicyBenchmark.TASKS.get(i);
                out.printf(Locale.ROOT, "%-18s %4s %8d %6d %6.1f%% %8.2f %8.2f %8.2f %6.0f ms%n", i == 0 ? r.mode() : "", t.name(),
                        d.released(), d.missed(), 100 * d.missRate(), d.percentileMillis(50), d.percentileMillis(99),
                        d.maxMillis(), t.deadlineMs());
            }
        }
        out.println("(" + DEADLINE_METHOD + ")");
        out.println(deadlineVerdict(runs));
        MissWindows.describe(runs, 5).forEach(out::println);
    }

    static String deadlineVerdict(List<PolicyBenchmark.DeadlineRun> runs) {
        StringBuilder sb = new StringBuilder("misses per mode:");
        int kedf = -1;
        boolean othersMiss = false;
        for (PolicyBenchmark.DeadlineRun r : runs) {
            int missed = r.tasks().stream().mapToInt(DeadlineAccounting::missed).sum();
            sb.append(' ').append(r.mode()).append('=').append(missed);
            if (r.mode().equals(Mode.xsched("kedf"))) {
                kedf = missed;
            } else if (r.mode().equals(Mode.xsched("fifo")) || r.mode().equals(Mode.NATIVE)) {
                othersMiss |= missed > 0;
            }
        }
        sb.append("; goal (no misses under kedf where fifo/native miss): ")
                .append(kedf == 0 && othersMiss ? "MET" : kedf == 0 ? "kedf has no misses, but neither fifo nor native missed" : "NOT MET");
        return sb.toString();
    }

    static void deadlineFiles(List<PolicyBenchmark.DeadlineRun> runs, double load, PolicyOptions options, String platformLine,
                              Path folder) throws IOException {
        Files.createDirectories(folder);
        StringBuilder csv = new StringBuilder("mode,task,release_s,response_ms,deadline_ms,missed,gc_count,gc_ms,run_queue_ms,off_cpu_ms\n");
        for (PolicyBenchmark.DeadlineRun r : runs) {
            for (int i = 0; i < r.tasks().size(); i++) {
                PolicyBenchmark.Task t = PolicyBenchmark.TASKS.get(i);
                long[] rel = r.releases().get(i);
                long[] resp = r.responses().get(i);
                GcCounters[] gc = r.gcs().get(i);
                double[] runQueue = r.runQueues().get(i);
                double[] offCpu = r.offCpus().get(i);
                long deadline = PolicyBenchmark.nanos(t.deadlineMs() / 1e3);
                for (int k = 0; k < rel.length; k++) {
                    boolean done = resp[k] != DeadlineAccounting.NOT_COMPLETED;
                    // An instance that did not complete has no GC or host figures: empty, like its response.
                    csv.append(String.format(Locale.ROOT, "%s,%s,%.4f,%s,%s,%d,%s,%s,%s,%s%n", r.mode(), t.name(), rel[k] / 1e9,
                            done ? num(resp[k] / 1e6) : "", num(t.deadlineMs()), !done || resp[k] > deadline ? 1 : 0,
                            gc[k] == null ? "" : gc[k].count(), gc[k] == null ? "" : gc[k].millis(),
                            millisOrEmpty(done, runQueue[k]), millisOrEmpty(done, offCpu[k])));
                }
            }
        }
        Files.writeString(folder.resolve("deadline-responses.csv"), csv.toString());
        List<TaskJson> tasks = PolicyBenchmark.TASKS.stream().map(t -> new TaskJson(t.name(), Json.figure(t.periodMs()), t.kernels(),
                Json.figure(t.kernelMs()), Json.figure(t.deadlineMs()), Json.figure(t.phaseMs()))).toList();
        List<DeadlineRunJson> runJson = runs.stream().map(r -> {
            List<TaskResultJson> results = new java.util.ArrayList<>();
            for (int i = 0; i < r.tasks().size(); i++) {
                DeadlineAccounting d = r.tasks().get(i);
                results.add(new TaskResultJson(PolicyBenchmark.TASKS.get(i).name(), d.released(), d.missed(), d.notCompleted(),
                        Json.figure(d.missRate()), Json.figure(d.percentileMillis(50)), Json.figure(d.percentileMillis(99)),
                        Json.figure(d.maxMillis())));
            }
            return new DeadlineRunJson(r.mode().label(), results);
        }).toList();
        Json.write(folder.resolve("deadline.json"), new DeadlineReport("deadline", now(), platformLine, OptionsJson.of(options),
                DEADLINE_METHOD, Json.figure(load), tasks, deadlineVerdict(runs), runJson));
    }

    /** deadline.json. */
    record DeadlineReport(String benchmark, String date, String platform, OptionsJson options, String method, Double load,
                          List<TaskJson> tasks, String verdict, List<DeadlineRunJson> runs) {
    }

    record TaskJson(String name, Double periodMs, int kernels, Double kernelMs, Double deadlineMs, Double phaseMs) {
    }

    record DeadlineRunJson(String mode, List<TaskResultJson> tasks) {
    }

    record TaskResultJson(String task, int released, int missed, int notCompleted, Double missRate, Double p50Ms, Double p99Ms,
                          Double maxMs) {
    }

    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "null";
    }

    /** A host figure of one instance for the CSV: empty where the instance did not complete or the figure is unknown. */
    private static String millisOrEmpty(boolean done, double ms) {
        return !done || Double.isNaN(ms) ? "" : String.format(Locale.ROOT, "%.4f", ms);
    }
}
