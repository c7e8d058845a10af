package dev.xsched.examples.resnet;

import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.YieldableKernels;

import java.util.Objects;

/**
 * One launch of a built model: the plan, the loaded kernel and its arguments (device pointers
 * into the model's buffers, bound once at build). Enqueueing it costs one {@code launch} call, or
 * one per slice when sliced.
 *
 * @param args      the complete arguments of an unsliced launch (for a sliceable kernel, block offset 0 included)
 * @param sliceArgs for a {@linkplain dev.xsched.hip.SlicedKernels sliceable} kernel, the arguments
 *                  without the block offset; null for a kernel that is not sliceable
 * @param yieldKernel the {@linkplain dev.xsched.hip.YieldableKernels yieldable} variant of the
 *                  kernel; null where there is none
 * @param yieldArgs the yieldable variant's own arguments (without the control pointers); null
 *                  where there is no yieldable variant
 * @param yieldConfig the yieldable variant's launch: the plan's, a {@linkplain PersistentGrid
 *                  persistent grid} of fewer blocks for a persistent twin, or one block per tile
 *                  where the plain kernel {@linkplain SplitK splits K}; null where there is no
 *                  yieldable variant
 * @param tileCounter a persistent twin's tile counter (4 bytes of device memory, also in
 *                  {@code yieldArgs}), which must be zero before the twin's first launch and kept
 *                  across its relaunches; null where the yieldable variant is not a persistent twin
 */
public record KernelLaunch(PlannedLaunch plan, Kernel kernel, KernelArgs args, KernelArgs sliceArgs, Kernel yieldKernel,
                           KernelArgs yieldArgs, LaunchConfig yieldConfig, DeviceMemory tileCounter) {
    public KernelLaunch {
        Objects.requireNonNull(plan, "plan");
        if (!kernel.name().equals(plan.kernel())) {
            throw new IllegalArgumentException("planned kernel " + plan.kernel() + ", got " + kernel.name());
        }
        kernel.checkArgs(args);
        if ((yieldKernel == null) != (yieldArgs == null) || (yieldKernel == null) != (yieldConfig == null)) {
            throw new IllegalArgumentException("a yieldable variant needs its arguments and launch, and they need it: "
                    + yieldKernel + ", " + yieldArgs + ", " + yieldConfig);
        }
        if (yieldKernel != null) {
            YieldableKernels.check(yieldKernel, yieldConfig, yieldArgs);
        }
        if (tileCounter != null && yieldKernel == null) {
            throw new IllegalArgumentException("a tile counter needs a persistent twin to count for: " + plan);
        }
    }

    /** A launch of a kernel that is neither sliceable nor yieldable. */
    public KernelLaunch(PlannedLaunch plan, Kernel kernel, KernelArgs args) {
        this(plan, kernel, args, null, null, null, null, null);
    }

    /**
     * A launch of a sliceable kernel that also has a yieldable variant, from its arguments without
     * the block offset (both variants take them).
     */
    public static KernelLaunch preemptible(PlannedLaunch plan, Kernel kernel, Kernel yieldKernel, KernelArgs argsWithoutOffset) {
        return new KernelLaunch(plan, kernel, argsWithoutOffset.withI32(0), argsWithoutOffset, yieldKernel, argsWithoutOffset,
                plan.config(), null);
    }

    /**
     * A launch of a kernel that is not sliceable but has a yieldable variant taking the same
     * arguments (the pooling kernels).
     */
    public static KernelLaunch yieldable(PlannedLaunch plan, Kernel kernel, Kernel yieldKernel, KernelArgs args) {
        return new KernelLaunch(plan, kernel, args, null, yieldKernel, args, plan.config(), null);
    }

    /**
     * This launch with {@code twin} as its yieldable variant, launched as {@code grid}: a
     * {@linkplain PersistentGrid persistent} twin taking the yieldable variant's arguments and
     * {@code tileCounter}.
     *
     * @param tileCounter 4 bytes of device memory for this launch alone (see {@link #tileCounter()})
     * @throws IllegalStateException if this launch has no yieldable variant
     */
    public KernelLaunch withPersistentTwin(Kernel twin, LaunchConfig grid, DeviceMemory tileCounter) {
        if (yieldKernel == null) {
            throw new IllegalStateException(plan + " has no yieldable variant to replace");
        }
        if (tileCounter.byteSize() != Integer.BYTES) {
            throw new IllegalArgumentException("a tile counter is one int, got " + tileCounter.byteSize() + " bytes");
        }
        return new KernelLaunch(plan, kernel, args, sliceArgs, twin,
                yieldArgs.with(KernelArgs.builder().pointer(tileCounter).build()), grid, tileCounter);
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

    /**
     * Enqueues the launch through its yieldable variant ({@link CommandQueue#launchYieldable}): on
     * an XQueue, a suspend stops its blocks at their next check. A launch without one is
     * enqueued as {@link #enqueue(CommandQueue)} does.
     */
    public void enqueueYieldable(CommandQueue queue) {
        if (yieldKernel == null) {
            enqueue(queue);
        } else {
            queue.launchYieldable(yieldKernel, yieldConfig, yieldArgs);
        }
    }

    @Override
    public String toString() {
        return plan.toString();
    }
}
