package dev.xsched.hip.internal.sim;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.KernelCompilationException;
import dev.xsched.hip.KernelCompiler;
import dev.xsched.hip.internal.RtcResults;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated "compiler": it compiles nothing, but finds the {@code extern "C" __global__ void
 * NAME(} declarations of the source (outside comments) and records their names in a
 * {@link SimCodeObject}, so that modules and kernel lookup behave as on a GPU. It checks no syntax
 * and evaluates no preprocessor directive: a kernel inside {@code #if} for some architecture is
 * found like any other.
 * A kernel whose parameter list names {@code XSCHED_YIELD_PARAMS} is recorded as yieldable.
 */
final class SimCompiler implements KernelCompiler {
    private static final Pattern KERNEL =
            // Qualifiers such as __launch_bounds__(256) may stand between "void" and the name.
            Pattern.compile("extern\\s+\"C\"\\s+__global__\\s+void\\s+(?:__launch_bounds__\\s*\\([^)]*\\)\\s*)?"
                    + "([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");
    private static final Pattern COMMENT = Pattern.compile("//[^\\n]*|/\\*(?s:.*?)\\*/");
    /** A kernel with this in its parameter list follows the yieldable convention (YieldableKernels.PRELUDE). */
    private static final String YIELD_PARAMS = "XSCHED_YIELD_PARAMS";
    private static final List<String> TARGET_OPTIONS = List.of("--offload-arch=", "--gpu-architecture=");

    @Override
    public String version() {
        return "simulated compiler (hip-ffm): finds extern \"C\" __global__ kernels, generates no code";
    }

    @Override
    public String defaultTarget() {
        return SimCodeObject.TARGET;
    }

    @Override
    public CodeObject compile(String programName, String source, List<String> options) {
        Objects.requireNonNull(programName, "programName");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        for (String option : options) {
            Objects.requireNonNull(option, "option");
            for (String prefix : TARGET_OPTIONS) {
                if (option.startsWith(prefix) && !option.substring(prefix.length()).equals(SimCodeObject.TARGET)) {
                    throw new IllegalArgumentException("the simulated compiler compiles only for target '"
                            + SimCodeObject.TARGET + "', not for " + option);
                }
            }
        }
        Set<String> kernels = new LinkedHashSet<>();
        Set<String> yieldable = new LinkedHashSet<>();
        String code = COMMENT.matcher(source).replaceAll(" ");
        Matcher matcher = KERNEL.matcher(code);
        while (matcher.find()) {
            kernels.add(matcher.group(1));
            if (parameterList(code, matcher.end()).contains(YIELD_PARAMS)) {
                yieldable.add(matcher.group(1));
            }
        }
        if (kernels.isEmpty()) {
            String log = programName + ": no kernel found: the simulated compiler looks for declarations of the form "
                    + "extern \"C\" __global__ void NAME(...) outside comments";
            throw new KernelCompilationException(RtcResults.ERROR_COMPILATION, RtcResults.name(RtcResults.ERROR_COMPILATION),
                    "compilation failed", "compile(" + programName + ", " + options + ") [simulated]", log);
        }
        String log = options.isEmpty() ? "" : "options not used by the simulated compiler: " + options;
        return SimCodeObject.encode(programName, new SimCodeObject.Kernels(kernels, yieldable), log);
    }

    /** The text from {@code open} (just after a kernel's opening parenthesis) to its matching ')'. */
    private static String parameterList(String code, int open) {
        int depth = 1;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return code.substring(open, i);
            }
        }
        return code.substring(open);
    }

    @Override
    public String toString() {
        return "SimCompiler";
    }
}
