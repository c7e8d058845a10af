package dev.xsched.examples.scenario;

import dev.xsched.examples.bench.Json;
import dev.xsched.examples.bench.JvmCollector;
import dev.xsched.examples.bench.Mode;
import dev.xsched.examples.resnet.PersistentGrid;
import dev.xsched.examples.resnet.ResNetKernels;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The results as a table and a verdict for people, and as JSON ({@value #FILE}) for tools and the chart. */
final class ResultsWriter {
    static final String FILE = "results.json";
    /** Below these counts in a mode the verdict says the run was too short to trust. */
    static final long STEADY_REQUESTS = 300;
    static final long STEADY_ITERATIONS = 20;

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
        for (ModeResult r : results) {
            if (r.serverCpu() != null) {
                out.printf(Locale.ROOT, "%-17s %s, over the measured window%n", r.mode(), r.serverCpu().describe());
            }
        }
        verdict(results, out);
    }

    /** Per mode: HP P99 against HP alone, the batch job's throughput against it alone. */
    static void verdict(List<ModeResult> results, PrintStream out) {
        List<Comparison> comparisons = Comparison.of(results);
        out.println();
        if (comparisons.isEmpty()) {
            out.println("verdict: needs the modes standalone-hp and standalone-lp (each job alone) to compare against");
            return;
        }
        ModeResult hpAlone = Comparison.find(results, Mode.STANDALONE_HP).orElseThrow();
        ModeResult lpAlone = Comparison.find(results, Mode.STANDALONE_LP).orElseThrow();
        out.printf(Locale.ROOT, "verdict, against each job alone (HP P99 %.2f ms; batch job %.3f it/s):%n",
                hpAlone.hp().percentileMillis(99), lpAlone.lpItersPerSec());
        for (Comparison c : comparisons) {
            out.printf(Locale.ROOT, "  %-17s HP P99 %6sx alone, batch job at %s of its standalone throughput%n", c.mode(),
                    Double.isNaN(c.hpP99Ratio()) ? "-" : String.format(Locale.ROOT, "%.2f", c.hpP99Ratio()),
                    Double.isNaN(c.lpShare()) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * c.lpShare()));
        }
        long fewestRequests = results.stream().filter(ModeResult::hasHp).mapToLong(ModeResult::hpRequests).min().orElse(0);
        long fewestIterations = lpAlone.lpIterations();
        if (fewestRequests < STEADY_REQUESTS || fewestIterations < STEADY_ITERATIONS) {
            out.printf(Locale.ROOT, "  (a short run: %d HP requests and %d batch iterations alone; a P99 needs a few hundred "
                    + "requests and the batch job's share tens of iterations: --duration 30 gives figures to trust)%n",
                    fewestRequests, fewestIterations);
        }
    }

    private static String ms(boolean present, double value) {
        return present && !Double.isNaN(value) ? String.format(Locale.ROOT, "%.2f", value) : "-";
    }

    /**
     * Writes {@code results} as {@link #FILE} in {@code folder}; {@code stopOnReady}: whether the
     * run's one-process {@code xsched-hpf} was to arm {@link StopOnReady}; {@code schedulerSpin}: how
     * long the scheduled modes' scheduling thread spun after its work.
     */
    static Path json(List<ModeResult> results, ScenarioOptions options, String platform, String device, boolean simulated,
                     String simulation, boolean stopOnReady, SchedulerSpin schedulerSpin, Path folder) throws IOException {
        Map<Mode, Comparison> comparisons = Comparison.of(results).stream()
                .collect(Collectors.toMap(Comparison::mode, c -> c));
        List<Report.Run> runs = results.stream().map(r -> new Report.Run(r.mode().label(), platform,
                r.hasHp() ? Report.Hp.of(r) : null, r.hasLp() ? Report.Lp.of(r) : null,
                Optional.ofNullable(comparisons.get(r.mode())).map(Report.VsStandalone::of).orElse(null),
                Optional.ofNullable(r.serverCpu()).map(Report.Server::of).orElse(null))).toList();
        Report report = new Report(java.time.OffsetDateTime.now().withNano(0).toString(), platform, device, simulated,
                simulated ? simulation : null, Report.Options.of(options, simulated, stopOnReady,
                schedulerSpin.micros()), runs);
        return Json.write(folder.resolve(FILE), report);
    }

    /** The results.json of {@code folder}, if it has one. */
    static Optional<Report> read(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        return Files.exists(file) ? Optional.of(Json.read(file, Report.class)) : Optional.empty();
    }

    /**
     * results.json.
     *
     * @param simulation what was simulated, when {@code simulated}
     */
    record Report(String date, String platform, String device, boolean simulated, String simulation, Options options,
                  List<Run> runs) {
        /**
         * The run's options. {@code threshold} and {@code batchSize} are the batch model's queue;
         * {@code hpThreshold}, {@code hpWaitSpinUs} and {@code hpBatchSize} (since 2026-12-04) the
         * online model's ({@link HpQueueSettings});
         * {@code arrivalSpinUs} how long the client spun before each arrival ({@link ArrivalWait});
         * {@code tf32Chunked} which loop the yieldable convolutions were compiled with where they run
         * in TF32, and {@code tf32YieldEvery} their slices between two checkpoints;
         * {@code yieldablePool} whether the batch model's pooling kernels could yield;
         * {@code persistentYield} whether its yieldable kernels ran as persistent grids
         * ({@code PersistentGrid}: as asked, but never on the simulator; until 2026-12-03 whether
         * they were asked for, by the property), and where they did, {@code persistDynamic} whether
         * they claimed their tiles dynamically ({@code ResNetKernels.persistDynamic}; absent where
         * they did not run), and {@code persistOpaque} whether they made their arguments opaque at
         * each tile ({@code ResNetKernels.persistOpaque}; since 2026-12-04); {@code splitLoads} whether
         * the 128 x 128 TF32 convolutions launched the kernels of their kind of input load
         * ({@code ResNetKernels.splitLoads}; since 2026-12-04, absent on the simulator, which
         * launches the kernels its trace recorded); {@code splitK} whether the plain TF32
         * convolutions of layers too small to fill the GPU split their K reduction
         * ({@code ResNetKernels.splitK}; since 2026-12-04, absent on the simulator); {@code decideOnSubmit} whether the scheduled modes'
         * scheduler decided on the submitting thread; {@code collector} the JVM's garbage collector
         * ({@link JvmCollector}; since 2026-12-04); {@code hpOnly} true where the scheduled modes ran
         * the online model alone ({@link HpOnly}; since 2026-12-05, absent otherwise); {@code hpIdlePollUs}
         * the online XQueue's {@code XQueueConfig.idlePoll} in microseconds, 0 off
         * ({@link HpQueueSettings}; since 2026-12-06); {@code stopOnReady} whether a one-process
         * {@code xsched-hpf} was to let its online queue stop the batch queue's kernels itself on
         * turning ready ({@link StopOnReady}; false in two processes; the output says where the
         * device could not; since 2026-12-06); {@code hpLockSpinUs} how long a thread spun for the
         * online XQueue's state lock before parking ({@code XQueueConfig.lockSpin}, microseconds;
         * since 2026-12-07) (these are
         * absent from the files of runs before they were recorded; {@code tf32YieldEvery} since
         * round 14 ran with 8 and its file did not say so).
         */
        record Options(Double rate, int lpBatch, Double durationS, Double warmupS, int threshold, int batchSize,
                       boolean hwPriority, String slice, Boolean deviceGate, Integer hpThreshold, Long hpWaitSpinUs,
                       Integer hpBatchSize, Boolean tf32Chunked, Integer tf32YieldEvery, Boolean yieldablePool, Boolean persistentYield,
                       Boolean persistDynamic, Boolean persistOpaque, Boolean splitLoads, Boolean splitK, Boolean decideOnSubmit,
                       Long arrivalSpinUs, String collector, Boolean hpOnly, Long hpIdlePollUs, Boolean stopOnReady,
                       Long schedulerSpinUs, Long hpLockSpinUs) {
            /**
             * The options of a run with {@code o}, on a simulated device where {@code simulated},
             * arming {@link StopOnReady} where {@code stopOnReady}, its scheduling threads spinning
             * {@code schedulerSpinUs}.
             */
            static Options of(ScenarioOptions o, boolean simulated, boolean stopOnReady, long schedulerSpinUs) {
                HpQueueSettings hp = HpQueueSettings.fromProperties();
                boolean persistent = PersistentGrid.used(o.persistentGrids(), simulated);
                return new Options(Json.figure(o.rate()), o.lpBatch(), Json.figure(o.seconds()), Json.figure(o.warmup()),
                        o.threshold(), o.batchSize(), o.hwPriority(), o.slice(), o.deviceGate(), hp.threshold(),
                        hp.waitSpinMicros(), hp.batchSize(), ResNetKernels.tf32Chunked(), ResNetKernels.tf32YieldEvery(),
                        ResNetKernels.yieldablePool(), persistent, persistent ? ResNetKernels.persistDynamic() : null,
                        persistent ? ResNetKernels.persistOpaque() : null, simulated ? null : ResNetKernels.splitLoads(),
                        simulated ? null : ResNetKernels.splitK(), o.decideOnSubmit(), ArrivalWait.fromProperty().spinMicros(), JvmCollector.current(),
                        HpOnly.fromProperty().on() ? Boolean.TRUE : null, hp.idlePollMicros(), stopOnReady,
                        schedulerSpinUs, hp.lockSpinMicros());
            }
        }

        /**
         * One mode: {@code hp} without HP requests and {@code lp} without LP iterations are left
         * out, as is {@code server} where no scheduler server took part.
         */
        record Run(String mode, String platform, Hp hp, Lp lp, VsStandalone vsStandalone, Server server) {
        }

        /** The scheduler server's CPU use over the measured window, in percent of one core. */
        record Server(String where, Double threadCpuPercent, Double processCpuPercent) {
            static Server of(ServerCpu cpu) {
                return new Server(cpu.where(), percent(cpu.threadShare()), percent(cpu.processShare()));
            }

            private static Double percent(Double share) {
                return share == null ? null : Json.figure(100 * share);
            }
        }

        record Hp(Double p50Ms, Double p95Ms, Double p99Ms, Double p999Ms, Double maxMs, Double meanMs, Double achievedRps,
                  long requests) {
            static Hp of(ModeResult r) {
                Latencies hp = r.hp();
                return new Hp(Json.figure(hp.percentileMillis(50)), Json.figure(hp.percentileMillis(95)),
                        Json.figure(hp.percentileMillis(99)), Json.figure(hp.percentileMillis(99.9)), Json.figure(hp.maxMillis()),
                        Json.figure(hp.meanMillis()), Json.figure(r.hpAchievedRps()), r.hpRequests());
            }
        }

        record Lp(Double iterPerS, Double imagesPerS, long iterations) {
            static Lp of(ModeResult r) {
                return new Lp(Json.figure(r.lpItersPerSec()), Json.figure(r.lpImagesPerSec()), r.lpIterations());
            }
        }

        /** HP P99 over standalone-hp's, the batch job's throughput over standalone-lp's. */
        record VsStandalone(Double hpP99, Double lpThroughput) {
            static VsStandalone of(Comparison c) {
                return new VsStandalone(Json.figure(c.hpP99Ratio()), Json.figure(c.lpShare()));
            }
        }
    }
}
