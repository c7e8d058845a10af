package dev.xsched.examples.scenario;

import dev.xsched.examples.resnet.ConvPrecision;
import dev.xsched.hip.sim.TraceCostModel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A kernel trace recorded on the H200 by {@code TraceRecorder} that the simulated demo replays.
 * There is one per convolution precision, the resource {@code h200-resnet-trace-PRECISION.csv} of
 * this package ({@link #resourceOf}), because the two precisions launch different kernels: the
 * simulated run must plan the kernels its trace recorded ({@link ConvPrecision#defaultFor} makes it
 * so), and a run asking for a precision needs that precision's trace.
 *
 * @param precision the precision of the trace's convolutions, told by their kernel names
 * @param resource  the resource it was read from
 * @param lines     its lines, as {@link TraceCostModel#parse} takes them
 */
record RecordedTrace(ConvPrecision precision, String resource, List<String> lines) {
    /** The precision the H200 runs the demo in when none is asked for (ConvPrecision.defaultFor of sm_90). */
    static final ConvPrecision H200_DEFAULT = ConvPrecision.TF32;
    /** Block duration of launches the trace does not hold: long enough to stand out in any result. */
    private static final Duration UNTRACED_BLOCK = Duration.ofMillis(1);

    RecordedTrace {
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(resource, "resource");
        lines = List.copyOf(lines);
    }

    /** Where the traces are found: a resource's lines, or empty when there is no such resource. */
    @FunctionalInterface
    interface Source {
        Optional<List<String>> lines(String resource) throws IOException;

        /** The resources of this package on the class path (in the examples jar). */
        static Source resources() {
            return resource -> {
                try (InputStream in = RecordedTrace.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        return Optional.empty();
                    }
                    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        return Optional.of(reader.lines().toList());
                    }
                }
            };
        }
    }

    /** The resource name of the trace of {@code precision}: {@code h200-resnet-trace-tf32.csv} or {@code -fp32.csv}. */
    static String resourceOf(ConvPrecision precision) {
        return "h200-resnet-trace-" + precision.label() + ".csv";
    }

    /**
     * The trace of {@code precision}.
     *
     * @return empty when none was recorded (no such resource)
     * @throws IllegalStateException when the resource's kernels are not of {@code precision}
     *                               (a trace committed under the wrong name)
     */
    static Optional<RecordedTrace> of(ConvPrecision precision, Source source) throws IOException {
        String resource = resourceOf(precision);
        Optional<List<String>> lines = source.lines(resource);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        TraceCostModel model = TraceCostModel.parse(resource, lines.get(), 1, UNTRACED_BLOCK);
        Optional<ConvPrecision> recorded = ConvPrecision.recordedIn(model.kernelNames());
        if (!recorded.equals(Optional.of(precision))) {
            throw new IllegalStateException(resource + " should hold the " + precision.label()
                    + " convolution kernels, but its convolutions are " + recorded.map(ConvPrecision::label).orElse("none")
                    + ": kernels " + model.kernelNames());
        }
        return Optional.of(new RecordedTrace(precision, resource, lines.get()));
    }

    /**
     * The trace a simulated run replays.
     *
     * @param requested the precision asked for ({@code --precision}), or null for the default: the
     *                  H200's ({@link #H200_DEFAULT}, TF32) when its trace was recorded, else FP32's
     * @return empty only when nothing was asked for and no trace at all was recorded
     * @throws IllegalArgumentException when {@code requested} has no recorded trace: replaying
     *                                  another precision's durations would be invented figures
     */
    static Optional<RecordedTrace> choose(ConvPrecision requested, Source source) throws IOException {
        if (requested != null) {
            return Optional.of(of(requested, source).orElseThrow(() -> new IllegalArgumentException(
                    "the simulator has no trace of the " + requested.label() + " kernels (" + resourceOf(requested)
                            + "); it replays only kernel durations recorded on a GPU: record them there with TraceRecorder"
                            + " --precision " + requested.label() + " (docs/simulator.md), or leave out --precision")));
        }
        Optional<RecordedTrace> preferred = of(H200_DEFAULT, source);
        return preferred.isPresent() ? preferred : of(ConvPrecision.FP32, source);
    }

    /** {@link #choose} from this package's resources. */
    static Optional<RecordedTrace> choose(ConvPrecision requested) {
        try {
            return choose(requested, Source.resources());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recorded kernel trace: " + e.getMessage(), e);
        }
    }

    /**
     * The block durations for a device of {@code slots} block slots.
     *
     * @return the trace's cost model; launches it does not hold take 1 ms per block
     */
    TraceCostModel costModel(int slots) {
        return TraceCostModel.parse(resource, lines, slots, UNTRACED_BLOCK);
    }

    /** What a run printed line says about the precision when it was not asked for. */
    String defaultNote() {
        return precision == H200_DEFAULT ? "the recorded trace's, as on the H200"
                : "the recorded trace's; the H200 runs " + H200_DEFAULT.label() + " by default, but the simulator has no "
                + "trace of those kernels (" + resourceOf(H200_DEFAULT) + ")";
    }
}
