package dev.xsched.hip.internal.sim;

import dev.xsched.hip.Kernel;
import dev.xsched.hip.ParamType;

import java.util.List;

/**
 * A kernel of a loaded simulated module.
 *
 * @param blockNanosOverride the duration of each block for launches of this handle, or -1 to ask the
 *                           platform's cost model ({@code SimulatedPlatform.withBlockDuration})
 */
public record SimKernel(SimModule module, String name, List<ParamType> signature, long blockNanosOverride)
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
        return new SimKernel(module, name, signature, blockNanos);
    }

    @Override
    public String toString() {
        return "SimKernel[" + name + signature + (blockNanosOverride >= 0 ? ", " + blockNanosOverride + " ns/block" : "") + "]";
    }
}
