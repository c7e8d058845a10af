package dev.xsched.hip;

import java.util.List;

/**
 * Run-time compilation of kernel source: hiprtc on AMD, NVRTC on NVIDIA. A kernel written in the
 * common HIP/CUDA subset ({@code extern "C" __global__}, {@code blockIdx}, {@code threadIdx},
 * {@code __shared__}, {@code __syncthreads()}) compiles on both from one source.
 */
public interface KernelCompiler {
    /** The compiler and its version, for example {@code hiprtc 5.2}. */
    String version();

    /** The target compiled for when no option names one, for example {@code gfx90a} or {@code sm_90}. */
    String defaultTarget();

    /**
     * Compiles {@code source}.
     *
     * @param programName a name for diagnostics, for example {@code vector_add.hip}
     * @param source      the kernel source
     * @param options     compiler options ({@code -O3}, {@code --offload-arch=gfx90a}, ...)
     * @throws KernelCompilationException with the complete compile log when compilation fails
     */
    CodeObject compile(String programName, String source, List<String> options);

    default CodeObject compile(String programName, String source) {
        return compile(programName, source, List.of());
    }
}
