package dev.xsched.examples.resnet;

import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.YieldableKernels;

/**
 * The GPU tests' yieldable kernel whose result says whether stops and relaunches lost or repeated
 * work: every thread counts its steps of {@code step_cycles} each, and a block stopped at a check
 * resumes at the step where it stopped.
 */
final class StepCountingKernel {
    /** {@code count_steps(int* counters, int steps, long long step_cycles, XSCHED_YIELD_PARAMS)}, with the prelude. */
    static final String SOURCE = YieldableKernels.PRELUDE + """
            extern "C" __global__ void count_steps(int* counters, int steps, long long step_cycles, XSCHED_YIELD_PARAMS) {
                xsched_yield_t y = XSCHED_YIELD_CONTEXT;
                int from = xsched_block_begin(y);
                if (from < 0) return;
                for (int s = from; s < steps; s++) {
                    if (xsched_yield_requested(y)) { xsched_block_yield(y, s); return; }
                    long long start = clock64();
                    while (clock64() - start < step_cycles) { }
                    counters[blockIdx.x * blockDim.x + threadIdx.x] += 1;
                }
                xsched_block_end(y);
            }
            """;

    private StepCountingKernel() {
    }

    /** The kernel of a module compiled from {@link #SOURCE} (or a source that begins with it). */
    static Kernel in(HipModule module) {
        return module.function("count_steps", ParamType.POINTER, ParamType.INT, ParamType.LONG,
                ParamType.POINTER, ParamType.POINTER, ParamType.POINTER);
    }
}
