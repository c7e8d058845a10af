package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.internal.NativeLibraryLoader;
import dev.xsched.hip.internal.NativeLibraryLoader.Candidate;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the NVIDIA platform looks for its two libraries, in order, first hit wins.
 *
 * <p>The CUDA driver ({@code libcuda}) comes with the kernel driver, never with a toolkit:
 * <ol>
 *   <li>system property {@value #CUDA_PROPERTY}, then environment variable {@value #CUDA_ENV}:
 *       the library file, or a folder holding it;</li>
 *   <li>the system loader: {@code libcuda.so.1}, then {@code libcuda.so};</li>
 *   <li>{@code /usr/local/nvidia/lib64}, where the NVIDIA container toolkit mounts the driver (for a
 *       process started without the container's {@code LD_LIBRARY_PATH}).</li>
 * </ol>
 *
 * <p>NVRTC ({@code libnvrtc}) comes with a toolkit or a redistributable package:
 * <ol>
 *   <li>system property {@value #NVRTC_PROPERTY}, then environment variable {@value #NVRTC_ENV};</li>
 *   <li>{@code $CUDA_PATH/lib64}, {@code $CUDA_HOME/lib64}, {@code /usr/local/cuda/lib64},
 *       {@code /usr/local/cuda/targets/x86_64-linux/lib};</li>
 *   <li>the toolkit of the first {@code nvcc} on {@code PATH}: its {@code ../lib64} and
 *       {@code ../lib} (the latter is where pip's CUDA toolkit wheels keep it);</li>
 *   <li>the system loader.</li>
 * </ol>
 * In each place {@code libnvrtc.so.13}, {@code .so.12} and {@code libnvrtc.so} are tried.
 */
final class NvidiaLibraries {
    static final String CUDA_PROPERTY = "xsched.cuda.library";
    static final String CUDA_ENV = "XSCHED_CUDA_LIBRARY";
    static final String NVRTC_PROPERTY = "xsched.nvrtc.library";
    static final String NVRTC_ENV = "XSCHED_NVRTC_LIBRARY";
    static final List<String> CUDA_NAMES = List.of("libcuda.so.1", "libcuda.so");
    static final List<String> NVRTC_NAMES = List.of("libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so");
    static final List<String> NVRTC_FOLDERS = List.of("/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib");
    static final String CONTAINER_DRIVER_FOLDER = "/usr/local/nvidia/lib64";

    /**
     * Every driver function the bindings call. They are checked when libcuda loads, so a driver
     * older than the headers (cuEventElapsedTime_v2 came with CUDA 12.8) is reported up front
     * instead of failing on first use.
     */
    static final List<String> REQUIRED_CUDA_SYMBOLS = List.of(
            "cuInit", "cuDriverGetVersion", "cuGetErrorName", "cuGetErrorString",
            "cuDeviceGetCount", "cuDeviceGet", "cuDeviceGetName", "cuDeviceGetAttribute", "cuDeviceTotalMem_v2",
            "cuDeviceGetUuid_v2",
            "cuDevicePrimaryCtxRetain", "cuCtxSetCurrent", "cuCtxGetStreamPriorityRange", "cuCtxSynchronize",
            "cuStreamCreateWithPriority", "cuStreamDestroy_v2", "cuStreamSynchronize", "cuStreamQuery", "cuStreamWaitEvent",
            "cuStreamGetPriority", "cuStreamGetCtx", "cuStreamWaitValue32_v2",
            "cuEventCreate", "cuEventRecord", "cuEventQuery", "cuEventSynchronize", "cuEventElapsedTime_v2", "cuEventDestroy_v2",
            "cuMemAlloc_v2", "cuMemFree_v2", "cuMemHostAlloc", "cuMemFreeHost", "cuMemHostGetDevicePointer_v2",
            "cuMemHostRegister_v2", "cuMemHostUnregister",
            "cuMemcpyHtoDAsync_v2", "cuMemcpyDtoHAsync_v2", "cuMemcpyDtoDAsync_v2", "cuMemsetD8Async",
            "cuModuleLoadData", "cuModuleUnload", "cuModuleGetFunction", "cuFuncGetParamInfo", "cuLaunchKernel");

    private NvidiaLibraries() {
    }

    static List<Candidate> cudaCandidates(Function<String, String> properties, Function<String, String> environment) {
        List<Candidate> candidates = new ArrayList<>(explicit(CUDA_PROPERTY, CUDA_ENV, CUDA_NAMES, properties, environment));
        CUDA_NAMES.forEach(name -> candidates.add(Candidate.soname(name)));
        candidates.add(Candidate.path(CONTAINER_DRIVER_FOLDER, Path.of(CONTAINER_DRIVER_FOLDER, "libcuda.so.1")));
        return candidates;
    }

    static List<Candidate> nvrtcCandidates(Function<String, String> properties, Function<String, String> environment) {
        return toolkitCandidates(NVRTC_PROPERTY, NVRTC_ENV, NVRTC_NAMES, properties, environment);
    }

    /**
     * A library of the CUDA toolkit (NVRTC, cuBLAS): the system property, then the environment
     * variable; {@code $CUDA_PATH/lib64}, {@code $CUDA_HOME/lib64}, {@link #NVRTC_FOLDERS}; the
     * toolkit of the first {@code nvcc} on {@code PATH}; the system loader. Each place tries every name.
     */
    static List<Candidate> toolkitCandidates(String property, String env, List<String> names,
                                             Function<String, String> properties, Function<String, String> environment) {
        List<Candidate> candidates = new ArrayList<>(explicit(property, env, names, properties, environment));
        for (String variable : List.of("CUDA_PATH", "CUDA_HOME")) {
            String root = environment.apply(variable);
            if (root != null && !root.isBlank()) {
                names.forEach(name -> candidates.add(Candidate.path("$" + variable, Path.of(root, "lib64", name))));
            }
        }
        for (String folder : NVRTC_FOLDERS) {
            names.forEach(name -> candidates.add(Candidate.path(folder, Path.of(folder, name))));
        }
        nvccToolkit(environment.apply("PATH")).ifPresent(toolkit -> {
            for (String lib : List.of("lib64", "lib")) {
                names.forEach(name -> candidates.add(Candidate.path("nvcc on PATH", toolkit.resolve(lib).resolve(name))));
            }
        });
        names.forEach(name -> candidates.add(Candidate.soname(name)));
        return candidates;
    }

    /** The toolkit folder of the first {@code nvcc} on {@code path} ({@code bin/..}). */
    static Optional<Path> nvccToolkit(String path) {
        if (path == null || path.isBlank()) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isBlank() && Files.isExecutable(Path.of(entry, "nvcc"))) {
                return Optional.ofNullable(Path.of(entry).toAbsolutePath().normalize().getParent());
            }
        }
        return Optional.empty();
    }

    /** The candidates named by a system property, else by an environment variable: a file or a folder. */
    private static List<Candidate> explicit(String property, String env, List<String> names,
                                            Function<String, String> properties, Function<String, String> environment) {
        String value = properties.apply(property);
        String origin = "-D" + property;
        if (value == null || value.isBlank()) {
            value = environment.apply(env);
            origin = "$" + env;
        }
        if (value == null || value.isBlank()) {
            return List.of();
        }
        Path path = Path.of(value.strip());
        if (Files.isDirectory(path)) {
            String folderOrigin = origin;
            return names.stream().map(name -> Candidate.path(folderOrigin, path.resolve(name))).toList();
        }
        return List.of(Candidate.path(origin, path));
    }

    /** The required driver functions {@code library} does not export. */
    static List<String> missingCudaSymbols(Path library) {
        return REQUIRED_CUDA_SYMBOLS.stream().filter(symbol -> !NativeLibraryLoader.isExported(library, symbol)).toList();
    }
}
