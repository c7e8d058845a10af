package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.Availability;
import dev.xsched.hip.HipException;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.internal.DiscoveryGate;
import dev.xsched.hip.internal.NativeLibraryLoader;
import dev.xsched.hip.internal.NativePlatformProvider;
import dev.xsched.hip.internal.RuntimeOnce;
import dev.xsched.hip.spi.ProviderName;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The NVIDIA platform: the hip-ffm API over the CUDA driver API ({@code libcuda}) and NVRTC, through
 * jextract bindings, so a program written against hip-ffm runs unchanged on NVIDIA GPUs. The
 * library search order is documented in {@link NvidiaLibraries}; a failure lists every place tried
 * with the dynamic loader's own message. Probing never throws, and does not load the driver when
 * {@code HIP_PLATFORM} names another platform ({@link DiscoveryGate}); {@link #open()} and
 * {@link #load()} load it regardless. There is no device-node check: the driver's nodes differ
 * between bare metal ({@code /dev/nvidiactl}), containers and WSL ({@code /dev/dxg}), and loading
 * {@code libcuda} where no NVIDIA driver is installed simply fails, quietly.
 */
@ProviderName(value = "nvidia", order = 20)
public final class NvidiaPlatformProvider extends NativePlatformProvider {
    public static final String LIBRARY_PROPERTY = NvidiaLibraries.CUDA_PROPERTY;
    public static final String LIBRARY_ENV = NvidiaLibraries.CUDA_ENV;
    public static final String NVRTC_LIBRARY_PROPERTY = NvidiaLibraries.NVRTC_PROPERTY;
    public static final String NVRTC_LIBRARY_ENV = NvidiaLibraries.NVRTC_ENV;

    /** Loading and initialising happen once per process; the outcome is kept, success or not. */
    private static final RuntimeOnce RUNTIME = new RuntimeOnce(NvidiaPlatformProvider::loadRuntime);

    public NvidiaPlatformProvider() {
        this(DiscoveryGate.of("nvidia", Hip::configuredPlatform, null, null), RUNTIME);
    }

    NvidiaPlatformProvider(DiscoveryGate gate, RuntimeOnce runtime) {
        super("nvidia", gate, runtime);
    }

    private static Object loadRuntime() {
        List<String> attempts = new ArrayList<>();
        NativeLibraryLoader.Result cuda = NativeLibraryLoader.loadFirst(
                NvidiaLibraries.cudaCandidates(System::getProperty, System::getenv), "cuInit");
        attempts.addAll(cuda.attempts());
        if (cuda.loaded().isEmpty()) {
            return Availability.unusable("nvidia",
                    "the CUDA driver (libcuda.so.1) was not found: this machine has no NVIDIA driver; install one, or set "
                            + LIBRARY_ENV + "=/path/to/libcuda.so.1",
                    attempts);
        }
        Path cudaLibrary = cuda.loaded().get();
        List<String> missing = NvidiaLibraries.missingCudaSymbols(cudaLibrary);
        if (!missing.isEmpty()) {
            return Availability.unusable("nvidia", "the CUDA driver at " + cudaLibrary + " is older than the CUDA 13.0 "
                    + "headers the bindings come from (CUDA 12.8 or newer is needed): it lacks " + missing, attempts);
        }
        NativeLibraryLoader.Result nvrtc = NativeLibraryLoader.loadFirst(
                NvidiaLibraries.nvrtcCandidates(System::getProperty, System::getenv), "nvrtcCompileProgram");
        attempts.addAll(nvrtc.attempts());
        Optional<Path> nvrtcLibrary = nvrtc.loaded();
        try {
            return NvidiaPlatform.initialise(cudaLibrary, nvrtcLibrary, attempts);
        } catch (HipException | IllegalStateException e) {
            return Availability.unusable("nvidia", "the CUDA driver at " + cudaLibrary + " failed to initialise: "
                    + e.getMessage(), attempts);
        } catch (RuntimeException | LinkageError e) {
            // Probing never throws: anything unexpected is a reason too.
            return Availability.unusable("nvidia", "the CUDA driver at " + cudaLibrary + " could not be used: " + e, attempts);
        }
    }

    @Override
    protected Availability availabilityOf(HipPlatform platform) {
        return ((NvidiaPlatform) platform).availability();
    }
}
