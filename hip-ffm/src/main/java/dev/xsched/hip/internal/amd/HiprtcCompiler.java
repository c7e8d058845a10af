package dev.xsched.hip.internal.amd;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.HipException;
import dev.xsched.hip.KernelCompilationException;
import dev.xsched.hip.KernelCompiler;
import dev.xsched.hip.internal.NativeStrings;
import dev.xsched.hip.internal.RtcResults;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static dev.xsched.hip.internal.panama.hip.HipBindings.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * hiprtc behind {@link KernelCompiler}. Without {@code --offload-arch} in the options it compiles
 * for the device's architecture, or for {@value #FALLBACK_TARGET} where no device was found (hiprtc
 * compiles without a GPU).
 */
final class HiprtcCompiler implements KernelCompiler {
    static final String FALLBACK_TARGET = "gfx90a";

    /** The target for a device architecture: the architecture itself, or the fallback where it is unknown. */
    static String targetFor(String architecture) {
        return architecture == null || architecture.equals("unknown") ? FALLBACK_TARGET : architecture;
    }

    private final String library;
    private final String defaultTarget;
    private final Optional<Set<String>> knownProcessors;

    HiprtcCompiler(String library, String defaultTarget, Optional<Set<String>> knownProcessors) {
        this.library = library;
        this.defaultTarget = defaultTarget;
        this.knownProcessors = knownProcessors;
    }

    @Override
    public String version() {
        if (library == null) {
            return "hiprtc not found";
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment major = arena.allocate(JAVA_INT);
            MemorySegment minor = arena.allocate(JAVA_INT);
            check(hiprtcVersion(major, minor), "hiprtcVersion");
            return "hiprtc " + major.get(JAVA_INT, 0) + "." + minor.get(JAVA_INT, 0) + " (" + library + ")";
        }
    }

    @Override
    public String defaultTarget() {
        return defaultTarget;
    }

    @Override
    public CodeObject compile(String programName, String source, List<String> options) {
        Objects.requireNonNull(programName, "programName");
        Objects.requireNonNull(source, "source");
        List<String> effective = new ArrayList<>(options);
        String target = targetOf(effective);
        if (target == null) {
            target = defaultTarget;
            effective.add("--offload-arch=" + target);
        }
        checkTargetIsKnown(target);
        String call = "hiprtcCompileProgram(" + programName + ", " + effective + ")";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment programOut = arena.allocate(ADDRESS);
            check(hiprtcCreateProgram(programOut, arena.allocateFrom(source), arena.allocateFrom(programName), 0,
                    MemorySegment.NULL, MemorySegment.NULL), "hiprtcCreateProgram(" + programName + ")");
            MemorySegment program = programOut.get(ADDRESS, 0);
            CodeObject result;
            try {
                MemorySegment optionArray = arena.allocate(ADDRESS, Math.max(1, effective.size()));
                for (int i = 0; i < effective.size(); i++) {
                    optionArray.setAtIndex(ADDRESS, i, arena.allocateFrom(effective.get(i)));
                }
                int rc = hiprtcCompileProgram(program, effective.size(), optionArray);
                String log = readLog(program, arena);
                if (rc != RtcResults.SUCCESS) {
                    throw new KernelCompilationException(rc, RtcResults.name(rc), errorString(rc), call, log);
                }
                MemorySegment sizeOut = arena.allocate(JAVA_LONG);
                check(hiprtcGetCodeSize(program, sizeOut), "hiprtcGetCodeSize(" + programName + ")");
                long size = sizeOut.get(JAVA_LONG, 0);
                MemorySegment code = arena.allocate(Math.max(1, size));
                check(hiprtcGetCode(program, code), "hiprtcGetCode(" + programName + ")");
                result = new CodeObject(code.asSlice(0, size).toArray(JAVA_BYTE), target, log);
            } catch (RuntimeException | Error e) {
                // The compile's failure (a compilation error carries its log) is the one to report;
                // a failed destroy rides along instead of replacing it.
                try {
                    check(hiprtcDestroyProgram(programOut), "hiprtcDestroyProgram(" + programName + ")");
                } catch (RuntimeException destroyFailure) {
                    e.addSuppressed(destroyFailure);
                }
                throw e;
            }
            check(hiprtcDestroyProgram(programOut), "hiprtcDestroyProgram(" + programName + ")");
            return result;
        }
    }

    private void checkTargetIsKnown(String target) {
        knownProcessors.ifPresent(known -> {
            if (!known.contains(ComgrTargets.processorOf(target))) {
                throw new IllegalArgumentException("hiprtc (" + library + ") cannot compile for '" + target
                        + "': its code object manager knows only " + known);
            }
        });
    }

    private static String targetOf(List<String> options) {
        for (String option : options) {
            if (option.startsWith("--offload-arch=")) {
                return option.substring("--offload-arch=".length());
            }
            if (option.startsWith("--gpu-architecture=")) {
                return option.substring("--gpu-architecture=".length());
            }
        }
        return null;
    }

    private static String readLog(MemorySegment program, Arena arena) {
        MemorySegment sizeOut = arena.allocate(JAVA_LONG);
        check(hiprtcGetProgramLogSize(program, sizeOut), "hiprtcGetProgramLogSize");
        long size = sizeOut.get(JAVA_LONG, 0);
        if (size <= 1) {
            return "";
        }
        MemorySegment log = arena.allocate(size + 1);
        check(hiprtcGetProgramLog(program, log), "hiprtcGetProgramLog");
        return log.getString(0).strip();
    }

    private static void check(int rc, String call) {
        if (rc != RtcResults.SUCCESS) {
            throw new HipException(rc, RtcResults.name(rc), errorString(rc), call);
        }
    }

    private static String errorString(int rc) {
        return NativeStrings.read(hiprtcGetErrorString(rc), "unknown hiprtc error");
    }
}
