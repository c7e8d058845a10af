package dev.xsched.core;

import dev.xsched.hip.Device;

import java.time.Duration;
import java.util.Objects;

/**
 * Chooses the slice size K (blocks per slice) of a {@linkplain XQueue#launchSliced sliced launch}
 * from a target preemption latency. Pure arithmetic; no measurement happens here.
 *
 * <h2>The model</h2>
 * <ul>
 *   <li>{@code slots = computeUnits * residentBlocksPerUnit}: blocks the device runs at once.</li>
 *   <li>A kernel of {@code grid} blocks runs in {@code waves = ceil(grid / slots)} waves, so one
 *       block lasts about {@code b = kernelTime / waves} (from a measured or estimated kernel
 *       time; or give {@code b} directly).</li>
 *   <li>Launches of one stream run one after another. A slice of K blocks lasts
 *       {@code ceil(K / slots) * b}. When the queue is suspended, up to {@code inFlight} slices
 *       (the queue's threshold) are already on the hardware and still run, so with launch gating
 *       alone a high-priority command waits up to {@code inFlight * ceil(K / slots) * b}.</li>
 * </ul>
 * Hence {@code wavesPerSlice = max(1, floor(target / (inFlight * b)))} and
 * {@code K = min(grid, wavesPerSlice * slots)}: whole waves only, because a slice smaller than a
 * wave leaves slots idle (a throughput loss) without shortening the wait, which cannot go below
 * one block per in-flight slice. When {@code inFlight * b} already exceeds the target, K is one
 * wave and the target is not met: lower the low-priority queue's threshold, or use hardware
 * priority, which bounds the wait by one block whatever K is.
 *
 * @param target                the preemption latency aimed for (for example {@link #DEFAULT_TARGET}, 200 us)
 * @param slots                 blocks resident on the device at once (&gt;= 1)
 * @param inFlight              slices that may be in flight when a suspend comes: the queue's threshold (&gt;= 1)
 */
public record SliceSizer(Duration target, int slots, int inFlight) {
    /** 200 microseconds. */
    public static final Duration DEFAULT_TARGET = Duration.ofNanos(200_000);

    /**
     * Checks the values.
     *
     * @param target   the preemption latency aimed for, &gt; 0
     * @param slots    blocks resident on the device at once, &gt;= 1
     * @param inFlight slices in flight when a suspend comes, &gt;= 1
     * @throws IllegalArgumentException if one is out of range
     */
    public SliceSizer {
        Objects.requireNonNull(target, "target");
        if (target.isNegative() || target.isZero()) {
            throw new IllegalArgumentException("target must be > 0, got " + target);
        }
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, got " + slots);
        }
        if (inFlight < 1) {
            throw new IllegalArgumentException("inFlight must be >= 1, got " + inFlight);
        }
    }

    /**
     * A sizer for a device: {@code slots = computeUnits * residentBlocksPerUnit} (the occupancy of
     * the kernel; 1 for a kernel with large blocks), {@code inFlight} = the queue's threshold.
     *
     * @param device                gives the number of compute units (CUs or SMs)
     * @param residentBlocksPerUnit the kernel's occupancy: its blocks one unit runs at once, &gt;= 1
     * @param queue                 the configuration of the queue the slices go to
     * @param target                the preemption latency aimed for, for example {@link #DEFAULT_TARGET}
     * @return the sizer
     * @throws IllegalArgumentException if {@code residentBlocksPerUnit < 1} or {@code target} is not positive
     * @throws ArithmeticException if the slot count overflows an int
     */
    public static SliceSizer forDevice(Device device, int residentBlocksPerUnit, XQueueConfig queue, Duration target) {
        if (residentBlocksPerUnit < 1) {
            throw new IllegalArgumentException("residentBlocksPerUnit must be >= 1, got " + residentBlocksPerUnit);
        }
        return new SliceSizer(target, Math.multiplyExact(device.computeUnits(), residentBlocksPerUnit), queue.threshold());
    }

    /**
     * The number of waves a grid runs in.
     *
     * @param gridBlocks blocks of the grid, &gt;= 1
     * @return {@code ceil(gridBlocks / slots)}
     * @throws IllegalArgumentException if {@code gridBlocks < 1}
     */
    public long waves(long gridBlocks) {
        requirePositive(gridBlocks, "gridBlocks");
        return (gridBlocks + slots - 1) / slots;
    }

    /**
     * The estimated duration of one block, assuming waves of equal length.
     *
     * @param kernelNanos the whole kernel's duration unsliced, in nanoseconds, &gt;= 1
     * @param gridBlocks  blocks of the grid, &gt;= 1
     * @return {@code kernelNanos / waves(gridBlocks)} in nanoseconds, at least 1
     * @throws IllegalArgumentException if an argument is below 1
     */
    public long blockNanos(long kernelNanos, long gridBlocks) {
        requirePositive(kernelNanos, "kernelNanos");
        return Math.max(1, kernelNanos / waves(gridBlocks));
    }

    /**
     * K for blocks of a known duration: whole waves, as many as fit the target divided by
     * {@code inFlight}, at least one.
     *
     * @param blockNanos one block's duration in nanoseconds, &gt;= 1
     * @param gridBlocks blocks of the grid, &gt;= 1
     * @return blocks per slice, in [1, gridBlocks]; {@code gridBlocks} means "do not slice"
     * @throws IllegalArgumentException if an argument is below 1
     */
    public int blocksPerSliceForBlock(long blockNanos, int gridBlocks) {
        requirePositive(blockNanos, "blockNanos");
        requirePositive(gridBlocks, "gridBlocks");
        long budget = target.toNanos() / inFlight;
        long wavesPerSlice = Math.max(1, budget / blockNanos);
        if (wavesPerSlice >= gridBlocks) {
            return gridBlocks;
        }
        return (int) Math.min(gridBlocks, wavesPerSlice * slots); // both < 2^31: no overflow
    }

    /**
     * K for a kernel measured (or estimated) to take {@code kernelNanos} unsliced over
     * {@code gridBlocks} blocks.
     *
     * @param kernelNanos the unsliced kernel's duration in nanoseconds, &gt;= 1
     * @param gridBlocks  blocks of the grid, &gt;= 1
     * @return blocks per slice for {@link XQueue#launchSliced}, in [1, gridBlocks]
     * @throws IllegalArgumentException if an argument is below 1
     */
    public int blocksPerSlice(long kernelNanos, int gridBlocks) {
        return blocksPerSliceForBlock(blockNanos(kernelNanos, gridBlocks), gridBlocks);
    }

    /**
     * The longest wait of a high-priority command behind this queue's slices with launch gating
     * alone (no hardware priority), by the model above.
     *
     * @param blocksPerSlice K, &gt;= 1
     * @param blockNanos     one block's duration in nanoseconds
     * @return {@code inFlight * ceil(K / slots) * blockNanos}, in nanoseconds
     * @throws IllegalArgumentException if {@code blocksPerSlice < 1}
     */
    public long predictedWaitNanos(int blocksPerSlice, long blockNanos) {
        requirePositive(blocksPerSlice, "blocksPerSlice");
        return inFlight * waves(blocksPerSlice) * blockNanos;
    }

    private static void requirePositive(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }
}
