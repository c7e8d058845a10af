package dev.xsched.hip.sim;

import dev.xsched.hip.Dim3;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Block durations taken from kernel times recorded on a real GPU.
 *
 * <h2>Format</h2>
 * A CSV file with a header naming at least these columns (in any order; other columns are
 * ignored): {@value #HEADER}. One row per kernel launch as it was recorded; {@code kernel_us} is
 * the launch's duration in microseconds. Fields may be quoted ({@code "a, b"}, {@code ""} for a
 * quote), so demangled C++ names with commas are fine. Blank lines and lines starting with
 * {@code #} are skipped.
 *
 * <p>An optional column {@value #INT_ARGS_COLUMN} holds the launch's integer arguments
 * ({@link ParamType#INT}, {@link ParamType#LONG}), in order, separated by spaces (empty: not
 * recorded). They tell apart launches of one kernel and one shape that do different work (a 1x1
 * and a 3x3 convolution over the same output), which the shape alone would merge into one median.
 * A row may name fewer than the launch has: the launch's first ones are compared, so a row
 * recorded without a {@linkplain dev.xsched.hip.SlicedKernels sliced kernel}'s block offset (its
 * last integer) matches the plain launch, each of its slices and its yieldable twin.
 *
 * <h2>From a kernel time to a block time</h2>
 * A launch of G blocks on a device with S block slots runs in {@code waves = ceil(G / S)} waves of
 * equally long blocks, so each row gives {@code block = kernel_us / ceil(G / S)}. For G &lt;= S
 * (one wave) and for G a multiple of S this is exactly {@code kernel_us * S / max(S, G)}; where the
 * last wave is partial it is larger, so that the simulated launch, run alone, lasts exactly
 * {@code kernel_us} as it did on the GPU (the simpler formula would stretch it by up to a wave).
 * S must be the slot count of the simulated device ({@link SimulatedPlatform.Builder#trace} passes
 * it).
 *
 * <h2>Lookup</h2>
 * For a launch, the median block time of the rows with the same kernel name and, in this order of
 * preference: the same grid, block and integer arguments; the same integer arguments (any shape:
 * a slice of a recorded launch runs the same blocks, fewer of them); the same grid and block;
 * any shape. Else the default block duration. A kernel
 * whose name ends in {@value #YIELD_SUFFIX} and that the trace does not name is looked up by the
 * name without the suffix: the yieldable twin of a kernel ({@link dev.xsched.hip.YieldableKernels})
 * does the same work, so a trace recorded with plain launches serves yieldable ones.
 */
public final class TraceCostModel implements KernelCostModel {
    /** The columns a trace must have. */
    public static final String HEADER = "kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,kernel_us";
    private static final List<String> COLUMNS = List.of(HEADER.split(","));
    /** The optional column of a launch's integer arguments. */
    public static final String INT_ARGS_COLUMN = "int_args";
    /** The suffix of a yieldable twin's name. */
    public static final String YIELD_SUFFIX = "_yield";

    private record Shape(String kernel, Dim3 grid, Dim3 block) {
    }

    /** A shape with the integer arguments recorded for it; {@code grid} and {@code block} null: any shape. */
    private record Work(String kernel, Dim3 grid, Dim3 block, List<Long> intArgs) {
    }

    private final int slots;
    private final long defaultBlockNanos;
    private final int rows;
    private final Map<Work, Long> medianByShapeAndArgs;
    private final Map<Work, Long> medianByArgs;
    private final Map<Shape, Long> medianByShape;
    private final Map<String, Long> medianByName;
    /** For each kernel, the numbers of integer arguments its rows recorded (none: the column is absent or empty). */
    private final Map<String, Set<Integer>> recordedArgCounts;

    private TraceCostModel(int slots, long defaultBlockNanos, List<Row> rowList) {
        this.slots = slots;
        this.defaultBlockNanos = defaultBlockNanos;
        Map<Work, List<Long>> byShapeAndArgs = new HashMap<>();
        Map<Work, List<Long>> byArgs = new HashMap<>();
        Map<Shape, List<Long>> byShape = new HashMap<>();
        Map<String, List<Long>> byName = new HashMap<>();
        Map<String, Set<Integer>> argCounts = new HashMap<>();
        for (Row row : rowList) {
            long block = blockNanos(row.kernelMicros, row.grid.volume(), slots);
            if (!row.intArgs.isEmpty()) {
                byShapeAndArgs.computeIfAbsent(new Work(row.kernel, row.grid, row.block, row.intArgs), w -> new ArrayList<>())
                        .add(block);
                byArgs.computeIfAbsent(new Work(row.kernel, null, null, row.intArgs), w -> new ArrayList<>()).add(block);
                argCounts.computeIfAbsent(row.kernel, k -> new TreeSet<>()).add(row.intArgs.size());
            }
            byShape.computeIfAbsent(new Shape(row.kernel, row.grid, row.block), s -> new ArrayList<>()).add(block);
            byName.computeIfAbsent(row.kernel, k -> new ArrayList<>()).add(block);
        }
        this.rows = rowList.size();
        this.medianByShapeAndArgs = medians(byShapeAndArgs);
        this.medianByArgs = medians(byArgs);
        this.medianByShape = medians(byShape);
        this.medianByName = medians(byName);
        Map<String, Set<Integer>> counts = new HashMap<>();
        argCounts.forEach((kernel, sizes) -> counts.put(kernel, Set.copyOf(sizes)));
        this.recordedArgCounts = Map.copyOf(counts);
    }

    private static <K> Map<K, Long> medians(Map<K, List<Long>> values) {
        Map<K, Long> medians = new HashMap<>();
        values.forEach((key, list) -> medians.put(key, median(list)));
        return Map.copyOf(medians);
    }

    /**
     * Reads a trace file.
     *
     * @param csv          the trace
     * @param slots        block slots of the simulated device (compute units times blocks per unit)
     * @param defaultBlock the block duration of kernels the trace does not name
     * @return the model, immutable
     * @throws UncheckedIOException     if the file cannot be read
     * @throws IllegalArgumentException naming the file and line of the first malformed row
     */
    public static TraceCostModel load(Path csv, int slots, Duration defaultBlock) {
        Objects.requireNonNull(csv, "csv");
        try {
            return parse(csv.toString(), Files.readAllLines(csv, StandardCharsets.UTF_8), slots, defaultBlock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel trace " + csv + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a trace from its lines.
     *
     * @param sourceName   names the trace in error messages
     * @param lines        the file's lines, the header first (after blank and comment lines)
     * @param slots        block slots of the simulated device, {@code >= 1}
     * @param defaultBlock the block duration of kernels the trace does not name, not negative
     * @return the model, immutable
     * @throws IllegalArgumentException naming the source and line of the first malformed row, or
     *                                  for an empty trace
     * @see #load(Path, int, Duration)
     */
    public static TraceCostModel parse(String sourceName, List<String> lines, int slots, Duration defaultBlock) {
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(lines, "lines");
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, got " + slots);
        }
        Objects.requireNonNull(defaultBlock, "defaultBlock");
        if (defaultBlock.isNegative()) {
            throw new IllegalArgumentException("default block duration must not be negative, got " + defaultBlock);
        }
        int[] columnIndex = null;
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = sourceName + ":" + (i + 1) + ": ";
            List<String> fields = splitCsv(line, where);
            if (columnIndex == null) {
                columnIndex = columnsOf(fields, where);
                continue;
            }
            rows.add(Row.of(fields, columnIndex, where));
        }
        if (columnIndex == null) {
            throw new IllegalArgumentException(sourceName + ": empty trace, expected the header " + HEADER);
        }
        return new TraceCostModel(slots, defaultBlock.toNanos(), rows);
    }

    /**
     * The block duration that makes a launch of {@code gridVolume} blocks on {@code slots} slots last
     * {@code kernelMicros} (see the class documentation).
     *
     * @param kernelMicros the launch's recorded duration in microseconds, finite and {@code >= 0}
     * @param gridVolume   blocks in the launch, {@code >= 1}
     * @param slots        block slots of the simulated device, {@code >= 1}
     * @return {@code kernelMicros / ceil(gridVolume / slots)}, in nanoseconds, rounded
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static long blockNanos(double kernelMicros, long gridVolume, int slots) {
        if (!(kernelMicros >= 0) || Double.isInfinite(kernelMicros)) {
            throw new IllegalArgumentException("kernel time must be a finite number >= 0, got " + kernelMicros);
        }
        if (gridVolume < 1 || slots < 1) {
            throw new IllegalArgumentException("grid volume and slots must be >= 1, got " + gridVolume + " and " + slots);
        }
        long waves = (gridVolume + slots - 1) / slots;
        return Math.round(kernelMicros * 1000.0 / waves);
    }

    @Override
    public long blockNanos(String kernelName, LaunchConfig config, KernelArgs args) {
        String name = traced(kernelName);
        Set<Integer> argCounts = recordedArgCounts.getOrDefault(name, Set.of());
        if (!argCounts.isEmpty()) {
            List<Long> launched = integerArguments(args);
            for (int count : argCounts) {
                if (count <= launched.size()) {
                    List<Long> prefix = launched.subList(0, count);
                    Long work = medianByShapeAndArgs.get(new Work(name, config.grid(), config.block(), prefix));
                    if (work == null) {
                        work = medianByArgs.get(new Work(name, null, null, prefix));
                    }
                    if (work != null) {
                        return work;
                    }
                }
            }
        }
        Long exact = medianByShape.get(new Shape(name, config.grid(), config.block()));
        if (exact != null) {
            return exact;
        }
        return medianByName.getOrDefault(name, defaultBlockNanos);
    }

    /**
     * The integer arguments of a launch as the {@value #INT_ARGS_COLUMN} column records them: each
     * {@link ParamType#INT} (signed) and {@link ParamType#LONG}, in order; pointers and floating
     * point arguments are left out (addresses differ from run to run).
     *
     * @param args a launch's arguments
     * @return the integers, in the order of the arguments
     */
    public static List<Long> integerArguments(KernelArgs args) {
        List<Long> ints = new ArrayList<>();
        for (int i = 0; i < args.count(); i++) {
            switch (args.type(i)) {
                case INT -> ints.add((long) (int) args.bits(i));
                case LONG -> ints.add(args.bits(i));
                default -> {
                }
            }
        }
        return List.copyOf(ints);
    }

    /**
     * The median block duration recorded for exactly this kernel (or the twin it stands for) and
     * shape, without the fallbacks of {@link #blockNanos(String, LaunchConfig, KernelArgs)}: to
     * tell which launches of a workload the trace covers.
     *
     * @param kernelName the kernel's symbol name
     * @param config     the launch's grid and block
     * @return the median in nanoseconds, or empty if no row has this name, grid and block
     */
    public OptionalLong exactBlockNanos(String kernelName, LaunchConfig config) {
        Long exact = medianByShape.get(new Shape(traced(kernelName), config.grid(), config.block()));
        return exact == null ? OptionalLong.empty() : OptionalLong.of(exact);
    }

    /** The name the trace knows {@code kernelName} by: itself, or for an untraced yieldable twin its plain name. */
    private String traced(String kernelName) {
        if (!medianByName.containsKey(kernelName) && kernelName.endsWith(YIELD_SUFFIX)) {
            return kernelName.substring(0, kernelName.length() - YIELD_SUFFIX.length());
        }
        return kernelName;
    }

    /**
     * The kernel names in the trace.
     *
     * @return a sorted copy
     */
    public Set<String> kernelNames() {
        return new TreeSet<>(medianByName.keySet());
    }

    /**
     * The number of launches (data rows) read.
     *
     * @return rows after the header, blank and comment lines not counted
     */
    public int rowCount() {
        return rows;
    }

    /**
     * The slot count block durations were derived for; the model is only right on a device with
     * as many block slots.
     *
     * @return the {@code slots} given to {@link #load} or {@link #parse}
     */
    public int slots() {
        return slots;
    }

    @Override
    public String toString() {
        return "TraceCostModel[" + rows + " launches of " + medianByName.size() + " kernels, " + slots + " slots]";
    }

    private static long median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        int mid = sorted.length / 2;
        // The mean of the two middle values, computed without overflow.
        return sorted.length % 2 == 1 ? sorted[mid] : sorted[mid - 1] + (sorted[mid] - sorted[mid - 1]) / 2;
    }

    /** The index of each of {@link #COLUMNS}, then of {@value #INT_ARGS_COLUMN} (-1 when absent). */
    private static int[] columnsOf(List<String> header, String where) {
        List<String> names = header.stream().map(String::strip).toList();
        int[] index = new int[COLUMNS.size() + 1];
        for (int c = 0; c < COLUMNS.size(); c++) {
            index[c] = names.indexOf(COLUMNS.get(c));
            if (index[c] < 0) {
                throw new IllegalArgumentException(where + "header " + names + " lacks column '" + COLUMNS.get(c)
                        + "'; expected " + HEADER);
            }
        }
        index[COLUMNS.size()] = names.indexOf(INT_ARGS_COLUMN);
        return index;
    }

    private record Row(String kernel, Dim3 grid, Dim3 block, double kernelMicros, List<Long> intArgs) {
        static Row of(List<String> fields, int[] column, String where) {
            int needed = Arrays.stream(column).max().orElseThrow() + 1;
            if (fields.size() < needed) {
                throw new IllegalArgumentException(where + "expected at least " + needed + " fields, got " + fields.size());
            }
            String kernel = fields.get(column[0]).strip();
            if (kernel.isEmpty()) {
                throw new IllegalArgumentException(where + "empty kernel name");
            }
            int[] dims = new int[6];
            for (int d = 0; d < 6; d++) {
                String text = fields.get(column[d + 1]).strip();
                try {
                    dims[d] = Integer.parseInt(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + COLUMNS.get(d + 1) + " is not an integer: '" + text + "'");
                }
                if (dims[d] < 1) {
                    throw new IllegalArgumentException(where + COLUMNS.get(d + 1) + " must be >= 1, got " + dims[d]);
                }
            }
            String micros = fields.get(column[7]).strip();
            double kernelMicros;
            try {
                kernelMicros = Double.parseDouble(micros);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + "kernel_us is not a number: '" + micros + "'");
            }
            if (!(kernelMicros >= 0) || Double.isInfinite(kernelMicros)) {
                throw new IllegalArgumentException(where + "kernel_us must be a finite number >= 0, got " + micros);
            }
            int intsColumn = column[COLUMNS.size()];
            List<Long> intArgs = intsColumn < 0 ? List.of() : parseInts(fields.get(intsColumn), where);
            return new Row(kernel, Dim3.of(dims[0], dims[1], dims[2]), Dim3.of(dims[3], dims[4], dims[5]), kernelMicros,
                    intArgs);
        }

        private static List<Long> parseInts(String field, String where) {
            String text = field.strip();
            if (text.isEmpty()) {
                return List.of();
            }
            List<Long> ints = new ArrayList<>();
            for (String value : text.split("\\s+")) {
                try {
                    ints.add(Long.parseLong(value));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + INT_ARGS_COLUMN + " holds '" + value
                            + "', not an integer (expected integers separated by spaces)");
                }
            }
            return List.copyOf(ints);
        }
    }

    /** Splits one CSV line (RFC 4180 quoting, no line breaks inside fields). */
    static List<String> splitCsv(String line, String where) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(where + "unterminated quoted field");
        }
        fields.add(field.toString());
        return fields;
    }
}
