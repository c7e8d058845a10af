package dev.xsched.examples.scenario;

import dev.xsched.core.policy.Policies;
import dev.xsched.examples.bench.Mode;
import dev.xsched.examples.resnet.ConvPrecision;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Options of the scenario benchmark ({@code xsched demo}); the constructor rejects a bad value
 * with a message naming its option.
 *
 * @param rate        high-priority requests per second (ResNet-18, batch 1), open loop
 * @param lpBatch     batch of the low-priority ResNet-50, back to back
 * @param seconds     measured seconds per mode
 * @param warmup      unmeasured seconds before each mode
 * @param modes       the modes to run, in order
 * @param threshold   in-flight threshold of the low-priority XQueue
 * @param batchSize   sync-point batch of the low-priority XQueue
 * @param hwPriority  whether scheduled modes also put the HP queue on the device's highest stream priority
 * @param slice       scheduled modes: how the LP convolutions are made preemptible: sliced ("auto" or
 *                    blocks per slice), "off", or "yield" (whole, through their yieldable variants; the
 *                    default, on a GPU and on the simulator, which models it)
 * @param output      folder for the results
 * @param precision   the convolutions' arithmetic, or null for the device's default (TF32 on NVIDIA sm_80+)
 * @param deviceGate  scheduled modes: whether the low-priority XQueue holds its released commands that
 *                    cannot stop themselves behind a wait on the device ({@code XQueueConfig.deviceGate})
 * @param decideOnSubmit  scheduled modes: whether the scheduler decides on the submitting thread
 *                        ({@code XScheduler.Builder#decideOnSubmit}; {@link DemoTuning})
 * @param persistentGrids whether the batch model's yieldable kernels run as persistent grids
 *                        ({@code PersistentGrid}, never on the simulator; {@link DemoTuning})
 */
public record ScenarioOptions(double rate, int lpBatch, double seconds, double warmup, List<Mode> modes, int threshold,
                              int batchSize, boolean hwPriority, String slice, Path output, ConvPrecision precision,
                              boolean deviceGate, boolean decideOnSubmit, boolean persistentGrids) {
    public static final List<Mode> DEFAULT_MODES = List.of(Mode.STANDALONE_HP, Mode.STANDALONE_LP, Mode.NATIVE, Mode.NATIVE_PRIORITY,
            Mode.xsched("hpf"));
    public static final double DEFAULT_RATE = 20;
    public static final int DEFAULT_LP_BATCH = 1024;
    public static final double DEFAULT_SECONDS = 30;
    public static final double DEFAULT_WARMUP = 3;
    public static final int DEFAULT_THRESHOLD = 2;
    public static final int DEFAULT_BATCH_SIZE = 1;
    /** Cooperative yield, on a GPU and on the simulator (which models it). */
    public static final String DEFAULT_SLICE = "yield";

    /**
     * The range of {@code --rate}: below, one request in over 16 minutes; above, requests 10 us
     * apart, far beyond what one thread can submit (and the arrival period, a whole number of
     * nanoseconds, stays at least 10,000).
     */
    public static final double MIN_RATE = 0.001;
    public static final double MAX_RATE = 100_000;
    /** The longest {@code --duration} and {@code --warmup}: a week (nanosecond times stay far from overflow). */
    public static final double MAX_SECONDS = 7 * 24 * 3600;

    public ScenarioOptions {
        if (!(rate >= MIN_RATE && rate <= MAX_RATE)) {
            throw new IllegalArgumentException("--rate must be between " + MIN_RATE + " and " + (long) MAX_RATE
                    + " requests per second, got " + rate);
        }
        positive("--batch", lpBatch);
        positive("--duration", seconds);
        atMostAWeek("--duration", seconds);
        if (!(warmup >= 0)) {
            throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        }
        atMostAWeek("--warmup", warmup);
        positive("--threshold", threshold);
        positive("--batch-size", batchSize);
        if (batchSize > threshold) {
            throw new IllegalArgumentException("--batch-size must be <= --threshold, got " + batchSize + " > " + threshold);
        }
        if (!List.of("auto", "off", "yield").contains(slice) && !isBlockCount(slice)) {
            throw new IllegalArgumentException("--slice takes yield, auto, off or a block count, got '" + slice + "'");
        }
        modes = List.copyOf(modes);
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("--modes names no mode");
        }
        rejectTwiceNamed(modes);
        Objects.requireNonNull(output, "output");
    }

    /** The options with the device's default precision. */
    public ScenarioOptions(double rate, int lpBatch, double seconds, double warmup, List<Mode> modes, int threshold,
                           int batchSize, boolean hwPriority, String slice, Path output) {
        this(rate, lpBatch, seconds, warmup, modes, threshold, batchSize, hwPriority, slice, output, null);
    }

    /** The options without the device gate. */
    public ScenarioOptions(double rate, int lpBatch, double seconds, double warmup, List<Mode> modes, int threshold,
                           int batchSize, boolean hwPriority, String slice, Path output, ConvPrecision precision) {
        this(rate, lpBatch, seconds, warmup, modes, threshold, batchSize, hwPriority, slice, output, precision, false);
    }

    /**
     * The options with deciding on submit and persistent grids as their system properties or
     * environment variable say, else off ({@link DemoTuning#fromProperties()}): how the scenario
     * ran outside {@code xsched demo} before these were options.
     */
    public ScenarioOptions(double rate, int lpBatch, double seconds, double warmup, List<Mode> modes, int threshold,
                           int batchSize, boolean hwPriority, String slice, Path output, ConvPrecision precision,
                           boolean deviceGate) {
        this(rate, lpBatch, seconds, warmup, modes, threshold, batchSize, hwPriority, slice, output, precision, deviceGate,
                DemoTuning.fromProperties());
    }

    private ScenarioOptions(double rate, int lpBatch, double seconds, double warmup, List<Mode> modes, int threshold,
                            int batchSize, boolean hwPriority, String slice, Path output, ConvPrecision precision,
                            boolean deviceGate, DemoTuning tuning) {
        this(rate, lpBatch, seconds, warmup, modes, threshold, batchSize, hwPriority, slice, output, precision, deviceGate,
                tuning.decideOnSubmit(), tuning.persistentGrids());
    }

    /** These options with the low-priority XQueue's device gate on or off. */
    public ScenarioOptions withDeviceGate(boolean newDeviceGate) {
        return new ScenarioOptions(rate, lpBatch, seconds, warmup, modes, threshold, batchSize, hwPriority, slice, output,
                precision, newDeviceGate, decideOnSubmit, persistentGrids);
    }

    /** These options with deciding on submit and persistent grids as {@code newTuning} says. */
    public ScenarioOptions withTuning(DemoTuning newTuning) {
        return new ScenarioOptions(rate, lpBatch, seconds, warmup, modes, threshold, batchSize, hwPriority, slice, output,
                precision, deviceGate, newTuning);
    }

    /** Deciding on submit and persistent grids, together. */
    public DemoTuning tuning() {
        return new DemoTuning(decideOnSubmit, persistentGrids);
    }

    /** These options with the convolutions in {@code newPrecision} (null: the device's default). */
    public ScenarioOptions withPrecision(ConvPrecision newPrecision) {
        return new ScenarioOptions(rate, lpBatch, seconds, warmup, modes, threshold, batchSize, hwPriority, slice, output,
                newPrecision, deviceGate, decideOnSubmit, persistentGrids);
    }

    /** These options with the low-priority XQueue's in-flight threshold at {@code newThreshold}. */
    public ScenarioOptions withThreshold(int newThreshold) {
        return new ScenarioOptions(rate, lpBatch, seconds, warmup, modes, newThreshold, batchSize, hwPriority, slice, output,
                precision, deviceGate, decideOnSubmit, persistentGrids);
    }

    /** Every default, results in {@code output}. */
    public static ScenarioOptions defaults(Path output) {
        return new ScenarioOptions(DEFAULT_RATE, DEFAULT_LP_BATCH, DEFAULT_SECONDS, DEFAULT_WARMUP, DEFAULT_MODES,
                DEFAULT_THRESHOLD, DEFAULT_BATCH_SIZE, true, DEFAULT_SLICE, output);
    }

    /** Where results go unless {@code --output} says: results/TIMESTAMP under the working directory. */
    public static Path defaultOutput() {
        return Path.of("results", java.time.LocalDateTime.now().withNano(0).toString().replace(':', '-'));
    }

    /** {@code modes}, then the mode xsched-P of each {@code --policy P} not among them. */
    public static List<Mode> modes(List<Mode> modes, List<String> policies) {
        List<Mode> all = new ArrayList<>(modes);
        policies.stream().map(Mode::xsched).filter(m -> !all.contains(m)).forEach(all::add);
        return all;
    }

    public ScenarioOptions withModes(List<Mode> newModes) {
        return new ScenarioOptions(rate, lpBatch, seconds, warmup, newModes, threshold, batchSize, hwPriority, slice, output,
                precision, deviceGate, decideOnSubmit, persistentGrids);
    }

    public ScenarioOptions withTiming(double newSeconds, double newWarmup) {
        return new ScenarioOptions(rate, lpBatch, newSeconds, newWarmup, modes, threshold, batchSize, hwPriority, slice, output,
                precision, deviceGate, decideOnSubmit, persistentGrids);
    }

    private static boolean isBlockCount(String value) {
        try {
            return Integer.parseInt(value) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The results are keyed by mode: a mode named twice would fail only once every mode had run. */
    private static void rejectTwiceNamed(List<Mode> modes) {
        Set<Mode> seen = new HashSet<>();
        for (Mode mode : modes) {
            if (!seen.add(mode)) {
                throw new IllegalArgumentException("--modes (with --policy) names " + mode.label() + " twice");
            }
        }
    }

    /**
     * Refuses a scheduled mode whose policy is not installed in this JVM, which would fail only
     * when its mode came up, after the others had run. Not for a run whose policies are an
     * external server's ({@code --server}), which may have others.
     *
     * @throws IllegalArgumentException naming the mode and the installed policies
     */
    public static void requireInstalledPolicies(List<Mode> modes) {
        requireInstalledPolicies(modes, Policies.names(), "");
    }

    /**
     * Every scheduled mode's policy is among {@code installed} (a scheduler server's, for
     * example), else an {@link IllegalArgumentException} naming the mode, {@code where} and what is
     * installed.
     *
     * @param modes     the modes asked for
     * @param installed the policies that can run them
     * @param where     where they are installed, for the message ("" for this JVM, else " on ...")
     */
    public static void requireInstalledPolicies(List<Mode> modes, List<String> installed, String where) {
        for (Mode mode : modes) {
            if (mode instanceof Mode.Scheduled s && !installed.contains(s.policy())) {
                throw new IllegalArgumentException("mode " + mode.label() + ": no policy '" + s.policy()
                        + "' is installed" + where + "; installed: " + String.join(", ", installed));
            }
        }
    }

    private static void atMostAWeek(String option, double seconds) {
        if (seconds > MAX_SECONDS) {
            throw new IllegalArgumentException(option + " must be at most " + (long) MAX_SECONDS + " s (a week), got " + seconds);
        }
    }

    private static void positive(String option, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(option + " must be > 0, got "
                    + (value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value)));
        }
    }
}
