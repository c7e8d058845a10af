package dev.xsched.hip;

import java.util.List;

/**
 * Run-time compilation of kernel source: hiprtc on AMD, NVRTC on NVIDIA. A kernel written in the
 * common HIP/CUDA subset ({@code extern "C" __global__}, {@code blockIdx}, {@code threadIdx},
 * {@code __shared__}, {@code __syncthreads()}) compiles on both from one source. Each compilation
 * is a program of its own ({@code hiprtcCreateProgram}, {@code nvrtcCreateProgram}), destroyed
 * before {@link #compile} returns. Compiling takes tens to hundreds of milliseconds: compile once,
 * at start-up.
 *
 * <p>The simulated platform's compiler generates no code: it finds the
 * {@code extern "C" __global__ void NAME(...)} declarations outside comments, so that modules and
 * kernel lookup behave as on a GPU, and checks no syntax.
 */
public interface KernelCompiler {
    /**
     * The compiler and its version, for reports.
     *
     * @return for example {@code hiprtc 5.2} or {@code NVRTC 13.0}, with the library's path
     */
    String version();

    /**
     * The target compiled for when no option names one: the device's architecture.
     *
     * @return for example {@code gfx90a} or {@code sm_90}; {@code sim} on the simulated platform
     */
    String defaultTarget();

    /**
     * Compiles {@code source} ({@code hiprtcCompileProgram}, {@code nvrtcCompileProgram}). Without a
     * target option it compiles for {@link #defaultTarget()}. On NVIDIA a real architecture
     * ({@code --gpu-architecture=sm_90}, the default) gives a CUBIN and a virtual one
     * ({@code compute_90}) gives PTX, which the driver compiles when the module is loaded.
     *
     * @param programName a name for diagnostics, for example {@code vector_add.hip}
     * @param source      the kernel source
     * @param options     compiler options ({@code -O3}, {@code --offload-arch=gfx90a} on AMD,
     *                    {@code --gpu-architecture=sm_90} on NVIDIA, ...)
     * @return the binary, its target and the compiler's log (warnings)
     * @throws KernelCompilationException with the complete compile log when compilation fails
     * @throws IllegalArgumentException   if a target option names an architecture this compiler
     *                                    cannot compile for (the other vendor's option included)
     * @throws HipException               if another call of the compiler library fails
     */
    CodeObject compile(String programName, String source, List<String> options);

    /**
     * Compiles {@code source} for {@link #defaultTarget()} without options.
     *
     * @param programName a name for diagnostics, for example {@code vector_add.hip}
     * @param source      the kernel source
     * @return the binary, its target and the compiler's log
     * @throws KernelCompilationException with the complete compile log when compilation fails
     */
    default CodeObject compile(String programName, String source) {
        return compile(programName, source, List.of());
    }
}
