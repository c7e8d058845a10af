package dev.xsched.hip.internal.sim;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;

import java.nio.charset.StandardCharsets;
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
 * </pre>
 *
 * The first line identifies the format, {@code program} names the source it came from, and each
 * {@code kernel} line names one {@code extern "C" __global__} function. The target is {@value #TARGET}.
 */
final class SimCodeObject {
    static final String MAGIC = "hip-ffm-sim-code-object v1";
    static final String TARGET = "sim";

    private SimCodeObject() {
    }

    static CodeObject encode(String programName, Set<String> kernels, String log) {
        StringBuilder text = new StringBuilder(MAGIC).append('\n');
        text.append("program ").append(programName.replace('\n', ' ')).append('\n');
        kernels.forEach(kernel -> text.append("kernel ").append(kernel).append('\n'));
        return new CodeObject(text.toString().getBytes(StandardCharsets.UTF_8), TARGET, log);
    }

    /**
     * The kernel names of a code object.
     *
     * @throws HipException {@link HipError#NO_BINARY_FOR_GPU} for another target,
     *                      {@link HipError#INVALID_IMAGE} for bytes that are not this format
     */
    static Set<String> kernelsOf(CodeObject code) {
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
        for (String line : lines.subList(1, lines.size())) {
            if (line.startsWith("kernel ")) {
                kernels.add(line.substring("kernel ".length()));
            } else if (!line.startsWith("program ") && !line.isBlank()) {
                throw HipException.of(HipError.INVALID_IMAGE, call + ": unexpected line '" + line + "'");
            }
        }
        return kernels;
    }
}
