package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.HipException;
import dev.xsched.hip.KernelCompilationException;
import dev.xsched.hip.KernelCompiler;
import dev.xsched.hip.internal.NativeStrings;
import dev.xsched.hip.internal.RtcResults;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import static dev.xsched.hip.internal.panama.nvrtc.NvrtcBindings.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * NVRTC behind {@link KernelCompiler}. Without an architecture option it compiles for the device's
 * own architecture ({@code --gpu-architecture=sm_90} on an H200) and returns a CUBIN, so nothing is
 * JIT-compiled at load time and the code uses the chip's own instructions; an explicit
 * {@code --gpu-architecture=compute_XX} returns PTX instead. Where no device was found the default
 * is {@value #FALLBACK_TARGET}.
 */
final class NvrtcCompiler implements KernelCompiler {
    static final String FALLBACK_TARGET = "sm_90";

    private final Path library;
    private final String version;
    private final Set<Integer> supportedArchitectures;
    private final NvrtcTarget defaultTarget;

    private NvrtcCompiler(Path library, String version, Set<Integer> supportedArchitectures, NvrtcTarget defaultTarget) {
        this.library = library;
        this.version = version;
        this.supportedArchitectures = supportedArchitectures;
        this.defaultTarget = defaultTarget;
    }

    /** Reads NVRTC's version and the architectures it supports (the library is already loaded). */
    static NvrtcCompiler load(Path library, String deviceArchitecture) {
        String version;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment major = arena.allocate(JAVA_INT);
            MemorySegment minor = arena.allocate(JAVA_INT);
            check(nvrtcVersion(major, minor), "nvrtcVersion");
            version = "NVRTC " + major.get(JAVA_INT, 0) + "." + minor.get(JAVA_INT, 0);
        }
        Set<Integer> supported = supportedArchitectures();
        return new NvrtcCompiler(library, version, supported, NvrtcTarget.defaultFor(deviceArchitecture, supported));
    }

    private static Set<Integer> supportedArchitectures() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            check(nvrtcGetNumSupportedArchs(count), "nvrtcGetNumSupportedArchs");
            int n = count.get(JAVA_INT, 0);
            MemorySegment archs = arena.allocate(JAVA_INT, Math.max(1, n));
            check(nvrtcGetSupportedArchs(archs), "nvrtcGetSupportedArchs");
            Set<Integer> result = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                result.add(archs.getAtIndex(JAVA_INT, i));
            }
            return Set.copyOf(result);
        }
    }

    /** The same NVRTC with another default target (each device compiles for its own architecture). */
    NvrtcCompiler withDefaultTarget(String deviceArchitecture) {
        return new NvrtcCompiler(library, version, supportedArchitectures,
                NvrtcTarget.defaultFor(deviceArchitecture, supportedArchitectures));
    }

    @Override
    public String version() {
        return version + " (" + library + ")";
    }

    @Override
    public String defaultTarget() {
        return defaultTarget.architecture();
    }

    @Override
    public CodeObject compile(String programName, String source, List<String> options) {
        Objects.requireNonNull(programName, "programName");
        Objects.requireNonNull(source, "source");
        List<String> effective = new ArrayList<>(options);
        NvrtcTarget target = NvrtcTarget.fromOptions(effective).orElse(null);
        if (target == null) {
            target = defaultTarget;
            effective.add(target.option());
        }
        target.checkSupported(supportedArchitectures, version);
        String call = "nvrtcCompileProgram(" + programName + ", " + effective + ")";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment programOut = arena.allocate(ADDRESS);
            check(nvrtcCreateProgram(programOut, arena.allocateFrom(source), arena.allocateFrom(programName), 0,
                    MemorySegment.NULL, MemorySegment.NULL), "nvrtcCreateProgram(" + programName + ")");
            MemorySegment program = programOut.get(ADDRESS, 0);
            CodeObject result;
            try {
                MemorySegment optionArray = arena.allocate(ADDRESS, Math.max(1, effective.size()));
                for (int i = 0; i < effective.size(); i++) {
                    optionArray.setAtIndex(ADDRESS, i, arena.allocateFrom(effective.get(i)));
                }
                int rc = nvrtcCompileProgram(program, effective.size(), optionArray);
                String log = readLog(program, arena);
                if (rc != RtcResults.SUCCESS) {
                    throw new KernelCompilationException(rc, RtcResults.nvrtcName(rc), errorString(rc), call, log);
                }
                byte[] code = target.producesPtx() ? ptx(program, programName, arena) : cubin(program, programName, arena);
                result = new CodeObject(code, target.architecture(), log);
            } catch (RuntimeException | Error e) {
                // The compile's failure (a compilation error carries its log) is the one to report;
                // a failed destroy rides along instead of replacing it.
                try {
                    check(nvrtcDestroyProgram(programOut), "nvrtcDestroyProgram(" + programName + ")");
                } catch (RuntimeException destroyFailure) {
                    e.addSuppressed(destroyFailure);
                }
                throw e;
            }
            check(nvrtcDestroyProgram(programOut), "nvrtcDestroyProgram(" + programName + ")");
            return result;
        }
    }

    private static byte[] cubin(MemorySegment program, String programName, Arena arena) {
        MemorySegment sizeOut = arena.allocate(JAVA_LONG);
        check(nvrtcGetCUBINSize(program, sizeOut), "nvrtcGetCUBINSize(" + programName + ")");
        long size = sizeOut.get(JAVA_LONG, 0);
        MemorySegment code = arena.allocate(Math.max(1, size));
        check(nvrtcGetCUBIN(program, code), "nvrtcGetCUBIN(" + programName + ")");
        return code.asSlice(0, size).toArray(JAVA_BYTE);
    }

    /** The PTX text without its terminating NUL (the module loader adds one). */
    private static byte[] ptx(MemorySegment program, String programName, Arena arena) {
        MemorySegment sizeOut = arena.allocate(JAVA_LONG);
        check(nvrtcGetPTXSize(program, sizeOut), "nvrtcGetPTXSize(" + programName + ")");
        long size = sizeOut.get(JAVA_LONG, 0);
        MemorySegment code = arena.allocate(Math.max(1, size));
        check(nvrtcGetPTX(program, code), "nvrtcGetPTX(" + programName + ")");
        long length = size > 0 && code.get(JAVA_BYTE, size - 1) == 0 ? size - 1 : size;
        return code.asSlice(0, length).toArray(JAVA_BYTE);
    }

    private static String readLog(MemorySegment program, Arena arena) {
        MemorySegment sizeOut = arena.allocate(JAVA_LONG);
        check(nvrtcGetProgramLogSize(program, sizeOut), "nvrtcGetProgramLogSize");
        long size = sizeOut.get(JAVA_LONG, 0);
        if (size <= 1) {
            return "";
        }
        MemorySegment log = arena.allocate(size + 1);
        check(nvrtcGetProgramLog(program, log), "nvrtcGetProgramLog");
        return log.getString(0).strip();
    }

    private static void check(int rc, String call) {
        if (rc != RtcResults.SUCCESS) {
            throw new HipException(rc, RtcResults.nvrtcName(rc), errorString(rc), call);
        }
    }

    private static String errorString(int rc) {
        return NativeStrings.read(nvrtcGetErrorString(rc), "unknown NVRTC error");
    }

    @Override
    public String toString() {
        return "NvrtcCompiler[" + version + ", default " + defaultTarget.architecture() + "]";
    }
}
