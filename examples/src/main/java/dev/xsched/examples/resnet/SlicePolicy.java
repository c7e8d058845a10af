package dev.xsched.examples.resnet;

import dev.xsched.core.SliceSizer;

import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * How {@link ResNet#forward(dev.xsched.hip.CommandQueue, SlicePolicy)} slices the sliceable
 * launches (the convolutions): blocks per slice for a launch, 0 for one unsliced launch. Slicing
 * only pays when enqueued on a scheduled queue (an {@code XQueue}), which can stop between slices.
 */
@FunctionalInterface
public interface SlicePolicy {
    /** Blocks per slice for {@code launch}, or 0 for no slicing. */
    int blocksPerSlice(KernelLaunch launch);

    /** Never slices. */
    static SlicePolicy none() {
        return launch -> 0;
    }

    /** Slices every sliceable launch into {@code blocks}-block slices. */
    static SlicePolicy blocks(int blocks) {
        if (blocks < 1) {
            throw new IllegalArgumentException("blocks must be >= 1, got " + blocks);
        }
        return launch -> blocks;
    }

    /**
     * Sizes slices with {@code sizer} from each launch's estimated unsliced duration (nanoseconds;
     * for example from a trace of a previous run). Launches estimated at or below the sizer's
     * target are not sliced.
     */
    static SlicePolicy sized(SliceSizer sizer, ToLongFunction<KernelLaunch> estimatedNanos) {
        Objects.requireNonNull(sizer, "sizer");
        Objects.requireNonNull(estimatedNanos, "estimatedNanos");
        return launch -> {
            long nanos = estimatedNanos.applyAsLong(launch);
            if (nanos <= sizer.target().toNanos()) {
                return 0;
            }
            return sizer.blocksPerSlice(nanos, launch.plan().grid().x());
        };
    }
}
