package dev.xsched.examples.resnet;

import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;

import java.util.Objects;

/**
 * One launch of a built model: the plan, the loaded kernel and its arguments (device pointers
 * into the model's buffers, bound once at build). Enqueueing it costs one {@code launch} call, or
 * one per slice when sliced.
 *
 * @param args      the complete arguments of an unsliced launch (for a sliceable kernel, block offset 0 included)
 * @param sliceArgs for a {@linkplain dev.xsched.hip.SlicedKernels sliceable} kernel, the arguments
 *                  without the block offset; null for a kernel that is not sliceable
 */
public record KernelLaunch(PlannedLaunch plan, Kernel kernel, KernelArgs args, KernelArgs sliceArgs) {
    public KernelLaunch {
        Objects.requireNonNull(plan, "plan");
        if (!kernel.name().equals(plan.kernel())) {
            throw new IllegalArgumentException("planned kernel " + plan.kernel() + ", got " + kernel.name());
        }
        kernel.checkArgs(args);
    }

    /** A launch of a kernel that is not sliceable. */
    public KernelLaunch(PlannedLaunch plan, Kernel kernel, KernelArgs args) {
        this(plan, kernel, args, null);
    }

    /** A launch of a sliceable kernel, from its arguments without the block offset. */
    public static KernelLaunch sliceable(PlannedLaunch plan, Kernel kernel, KernelArgs argsWithoutOffset) {
        return new KernelLaunch(plan, kernel, argsWithoutOffset.withI32(0), argsWithoutOffset);
    }

    public boolean isSliceable() {
        return sliceArgs != null;
    }

    public void enqueue(CommandQueue queue) {
        queue.launch(kernel, plan.config(), args);
    }

    /**
     * Enqueues the launch sliced as {@code policy} says (one launch when it says 0, when the
     * kernel is not sliceable, or when one slice would cover the grid).
     */
    public void enqueue(CommandQueue queue, SlicePolicy policy) {
        int k = isSliceable() ? policy.blocksPerSlice(this) : 0;
        if (k <= 0 || k >= plan.grid().x()) {
            enqueue(queue);
        } else {
            queue.launchSliced(kernel, plan.config(), sliceArgs, k);
        }
    }

    @Override
    public String toString() {
        return plan.toString();
    }
}
