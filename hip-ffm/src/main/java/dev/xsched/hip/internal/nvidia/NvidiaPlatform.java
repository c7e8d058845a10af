package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.Availability;
import dev.xsched.hip.Device;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.KernelCompiler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;

import static dev.xsched.hip.internal.panama.cuda.CudaBindings.cuDeviceGetCount;
import static dev.xsched.hip.internal.panama.cuda.CudaBindings.cuDriverGetVersion;
import static dev.xsched.hip.internal.panama.cuda.CudaBindings.cuInit;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/** The CUDA driver, loaded and initialised; one per process. */
final class NvidiaPlatform implements HipPlatform {
    private final Path library;
    private final Optional<Path> nvrtcLibrary;
    private final List<String> attempts;
    private final String driverVersion;
    private final List<NvidiaDevice> devices;
    private final String noDeviceReason;
    private final Nvrtc nvrtc;

    /** NVRTC, or why it cannot be used: the platform stays usable with precompiled code either way. */
    private record Nvrtc(Optional<NvrtcCompiler> compiler, String problem) {
        static Nvrtc load(Optional<Path> library, String defaultTarget, List<String> attempts) {
            if (library.isEmpty()) {
                return new Nvrtc(Optional.empty(), "NVRTC (libnvrtc) was not found; install the CUDA toolkit's NVRTC, "
                        + "or set " + NvidiaLibraries.NVRTC_ENV + "=/path/to/libnvrtc.so.13");
            }
            try {
                return new Nvrtc(Optional.of(NvrtcCompiler.load(library.get(), defaultTarget)), null);
            } catch (RuntimeException e) {
                String problem = "NVRTC at " + library.get() + " could not be used: " + e.getMessage();
                attempts.add(problem);
                return new Nvrtc(Optional.empty(), problem);
            }
        }

        NvrtcCompiler orThrow() {
            return compiler.orElseThrow(() -> new IllegalStateException(problem));
        }
    }

    private NvidiaPlatform(Path library, Optional<Path> nvrtcLibrary, List<String> attempts, int driverVersion,
                           int deviceCount, String noDeviceReason) {
        this.library = library;
        this.nvrtcLibrary = nvrtcLibrary;
        this.driverVersion = formatCudaVersion(driverVersion);
        this.noDeviceReason = noDeviceReason;
        this.devices = IntStream.range(0, deviceCount).mapToObj(i -> NvidiaDevice.open(this, i)).toList();
        String defaultTarget = devices.isEmpty() ? NvrtcCompiler.FALLBACK_TARGET : devices.getFirst().architecture();
        List<String> allAttempts = new ArrayList<>(attempts);
        this.nvrtc = Nvrtc.load(nvrtcLibrary, defaultTarget, allAttempts);
        this.attempts = List.copyOf(allAttempts);
    }

    /**
     * {@code cuInit}, then the devices. No device ({@code CUDA_ERROR_NO_DEVICE}) is an answer, not a
     * failure; any other error (a stub libcuda, a driver whose kernel module is not loaded) is thrown.
     */
    static NvidiaPlatform initialise(Path library, Optional<Path> nvrtcLibrary, List<String> attempts) {
        int initRc = cuInit(0);
        int version = readDriverVersion();
        if (initRc == CudaCalls.NO_DEVICE) {
            return new NvidiaPlatform(library, nvrtcLibrary, attempts, version, 0, CudaCalls.describe(initRc, "cuInit(0)"));
        }
        CudaCalls.check(initRc, "cuInit(0)");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            int rc = cuDeviceGetCount(out);
            if (rc == CudaCalls.NO_DEVICE) {
                return new NvidiaPlatform(library, nvrtcLibrary, attempts, version, 0, CudaCalls.describe(rc, "cuDeviceGetCount"));
            }
            CudaCalls.check(rc, "cuDeviceGetCount");
            int count = out.get(JAVA_INT, 0);
            return new NvidiaPlatform(library, nvrtcLibrary, attempts, version, count,
                    count == 0 ? "cuDeviceGetCount reported 0 devices" : null);
        }
    }

    private static int readDriverVersion() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            return cuDriverGetVersion(out) == CudaCalls.SUCCESS ? out.get(JAVA_INT, 0) : -1;
        }
    }

    /** CUDA encodes versions as major * 1000 + minor * 10: 13000 is 13.0, 12080 is 12.8. */
    static String formatCudaVersion(int version) {
        return version < 0 ? "unknown" : (version / 1000) + "." + (version % 1000 / 10);
    }

    Availability availability() {
        String summary = "CUDA driver " + driverVersion + " (" + library + "); "
                + (devices.isEmpty() ? "no NVIDIA device: " + noDeviceReason : devices.size() + " device(s)")
                + "; NVRTC: " + (nvrtc.compiler().isPresent() ? nvrtcLibrary.orElseThrow().toString() : "unusable (" + nvrtc.problem() + ")");
        return Availability.usable(name(), devices.size(), summary, attempts);
    }

    @Override
    public String name() {
        return "nvidia";
    }

    @Override
    public boolean isSimulated() {
        return false;
    }

    @Override
    public String runtimeVersion() {
        return "CUDA driver API " + driverVersion + " (" + library + ")";
    }

    @Override
    public String driverVersion() {
        return "CUDA driver " + driverVersion;
    }

    @Override
    public int deviceCount() {
        return devices.size();
    }

    @Override
    public Device device(int index) {
        Objects.checkIndex(index, devices.size());
        return devices.get(index);
    }

    @Override
    public Optional<String> noDeviceReason() {
        return Optional.ofNullable(noDeviceReason);
    }

    @Override
    public KernelCompiler compiler() {
        return nvrtc.orThrow();
    }

    /** The compiler with {@code architecture} as its default target. */
    KernelCompiler compilerFor(String architecture) {
        return nvrtc.orThrow().withDefaultTarget(architecture);
    }

    @Override
    public String toString() {
        return "NvidiaPlatform[CUDA driver " + driverVersion + ", " + devices.size() + " devices]";
    }
}
