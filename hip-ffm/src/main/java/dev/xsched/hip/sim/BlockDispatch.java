package dev.xsched.hip.sim;

import java.util.Objects;

/**
 * A group of thread blocks of one launch dispatched together to free block slots: they occupy
 * {@code blocks} slots from {@code startNanos} until {@code endNanos}. The simulator dispatches
 * blocks in groups because all blocks of a launch last equally long; a group is exactly what
 * dispatching them one by one at the same instant would give.
 *
 * @param launchId       the launch ({@link KernelRecord#launchId()})
 * @param device         the device's index
 * @param streamId       the stream's id
 * @param streamPriority the stream's priority
 * @param kernelName     the kernel's symbol name
 * @param blocks         the number of blocks (and slots) in the group, at least 1
 * @param startNanos     when they were dispatched, {@link SimClock} nanoseconds
 * @param endNanos       when they complete, {@link SimClock} nanoseconds (for a yieldable
 *                       launch: when they are due to complete unless the launch is stopped)
 */
public record BlockDispatch(long launchId, int device, long streamId, int streamPriority, String kernelName,
                            int blocks, long startNanos, long endNanos) {
    /**
     * Checks the record's invariants.
     *
     * @throws NullPointerException     if {@code kernelName} is null
     * @throws IllegalArgumentException if {@code blocks < 1} or {@code endNanos < startNanos}
     */
    public BlockDispatch {
        Objects.requireNonNull(kernelName, "kernelName");
        if (blocks < 1) {
            throw new IllegalArgumentException("a dispatch has at least one block, got " + blocks);
        }
        if (endNanos < startNanos) {
            throw new IllegalArgumentException("end " + endNanos + " before start " + startNanos);
        }
    }
}
