package dev.xsched.hip.internal.sim;

import dev.xsched.hip.Kernel;
import dev.xsched.hip.ParamType;

import java.util.List;

/**
 * A kernel of a loaded simulated module.
 *
 * @param blockNanosOverride the duration of each block for launches of this handle, or -1 to ask the
 *                           platform's cost model ({@code SimulatedPlatform.withBlockDuration})
 * @param yieldable          declared with {@code XSCHED_YIELD_PARAMS}: a managed launch of it stops
 *                           at the blocks' next check when its stop flag is raised
 * @param faulting           every launch of this handle fails at the launch call
 *                           ({@code SimulatedPlatform.faulting})
 */
public record SimKernel(SimModule module, String name, List<ParamType> signature, long blockNanosOverride,
                        boolean yieldable, boolean faulting)
        implements Kernel {
    public SimKernel {
        signature = List.copyOf(signature);
    }

    @Override
    public boolean isLoaded() {
        return module.isOpen();
    }

    /** The same kernel, with every block of its launches lasting {@code blockNanos}. */
    public SimKernel withBlockNanos(long blockNanos) {
        if (blockNanos < 0) {
            throw new IllegalArgumentException("block duration must not be negative, got " + blockNanos + " ns");
        }
        return new SimKernel(module, name, signature, blockNanos, yieldable, faulting);
    }

    /** The same kernel, every launch of which fails at the launch call. */
    public SimKernel asFaulting() {
        return new SimKernel(module, name, signature, blockNanosOverride, yieldable, true);
    }

    @Override
    public String toString() {
        return "SimKernel[" + name + signature + (blockNanosOverride >= 0 ? ", " + blockNanosOverride + " ns/block" : "")
                + (faulting ? ", faulting" : "") + "]";
    }
}
