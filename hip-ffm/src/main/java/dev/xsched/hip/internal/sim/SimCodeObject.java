package dev.xsched.hip.internal.sim;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.sim.SimulatedPlatform;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The simulated platform's code object: UTF-8 text, one item per line.
 *
 * <pre>
 * hip-ffm-sim-code-object v1
 * program vector_add.hip
 * kernel vadd
 * kernel scale
 * yieldable scale
 * </pre>
 *
 * The first line identifies the format, {@code program} names the source it came from, each
 * {@code kernel} line names one {@code extern "C" __global__} function, and a {@code yieldable}
 * line marks a kernel declared with {@code XSCHED_YIELD_PARAMS} (the
 * {@linkplain dev.xsched.hip.YieldableKernels yieldable convention}), whose blocks the simulator
 * stops at their next check when its queue raises the stop flag. The target is {@value #TARGET}.
 */
final class SimCodeObject {
    static final String MAGIC = "hip-ffm-sim-code-object v1";
    static final String TARGET = SimulatedPlatform.ARCHITECTURE;
    private static final String KERNEL = "kernel ";
    private static final String YIELDABLE = "yieldable ";

    private SimCodeObject() {
    }

    /** The kernels of a code object, and which of them follow the yieldable convention. */
    record Kernels(Set<String> names, Set<String> yieldable) {
        Kernels {
            names = Collections.unmodifiableSet(new LinkedHashSet<>(names));
            yieldable = Set.copyOf(yieldable);
        }
    }

    static CodeObject encode(String programName, Kernels kernels, String log) {
        StringBuilder text = new StringBuilder(MAGIC).append('\n');
        text.append("program ").append(programName.replace('\n', ' ')).append('\n');
        kernels.names().forEach(kernel -> text.append(KERNEL).append(kernel).append('\n'));
        kernels.names().stream().filter(kernels.yieldable()::contains)
                .forEach(kernel -> text.append(YIELDABLE).append(kernel).append('\n'));
        return new CodeObject(text.toString().getBytes(StandardCharsets.UTF_8), TARGET, log);
    }

    /**
     * The kernels of a code object.
     *
     * @throws HipException {@link HipError#NO_BINARY_FOR_GPU} for another target,
     *                      {@link HipError#INVALID_IMAGE} for bytes that are not this format
     */
    static Kernels kernelsOf(CodeObject code) {
        String call = "hipModuleLoadData(" + code + ")";
        if (!code.target().equals(TARGET)) {
            throw HipException.of(HipError.NO_BINARY_FOR_GPU, call + ": compiled for '" + code.target()
                    + "', the simulated device runs only '" + TARGET + "'");
        }
        List<String> lines = new String(code.bytes(), StandardCharsets.UTF_8).lines().toList();
        if (lines.isEmpty() || !lines.getFirst().equals(MAGIC)) {
            throw HipException.of(HipError.INVALID_IMAGE, call + ": does not start with '" + MAGIC + "'");
        }
        Set<String> kernels = new LinkedHashSet<>();
        Set<String> yieldable = new LinkedHashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.startsWith(KERNEL)) {
                kernels.add(line.substring(KERNEL.length()));
            } else if (line.startsWith(YIELDABLE)) {
                yieldable.add(line.substring(YIELDABLE.length()));
            } else if (!line.startsWith("program ") && !line.isBlank()) {
                throw HipException.of(HipError.INVALID_IMAGE, call + ": unexpected line '" + line + "'");
            }
        }
        if (!kernels.containsAll(yieldable)) {
            throw HipException.of(HipError.INVALID_IMAGE, call + ": yieldable kernels " + yieldable
                    + " are not all declared kernels " + kernels);
        }
        return new Kernels(kernels, yieldable);
    }
}
