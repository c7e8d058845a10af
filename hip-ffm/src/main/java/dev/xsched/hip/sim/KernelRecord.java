package dev.xsched.hip.sim;

import dev.xsched.hip.LaunchConfig;

import java.util.Objects;

/**
 * One completed kernel launch, as the simulator executed it. Times are {@link SimClock} nanoseconds.
 *
 * @param launchId       unique per platform, increasing in submission order
 * @param device         the device's index
 * @param streamId       the stream's id ({@link SimulatedPlatform#streamId})
 * @param streamPriority the stream's priority (lower number = higher priority)
 * @param kernelName     the kernel's symbol name
 * @param config         the grid and block it was launched with
 * @param blocks         the grid volume: the number of thread blocks run
 * @param blockNanos     the duration of each block
 * @param submitNanos    when the launch call reached the simulator
 * @param startNanos     when its first block was dispatched to a compute unit
 * @param endNanos       when its last block completed
 */
public record KernelRecord(long launchId, int device, long streamId, int streamPriority, String kernelName,
                           LaunchConfig config, long blocks, long blockNanos, long submitNanos, long startNanos,
                           long endNanos) {
    /**
     * Checks the record's invariants.
     *
     * @throws NullPointerException     if {@code kernelName} or {@code config} is null
     * @throws IllegalArgumentException unless {@code submitNanos <= startNanos <= endNanos}
     */
    public KernelRecord {
        Objects.requireNonNull(kernelName, "kernelName");
        Objects.requireNonNull(config, "config");
        if (!(submitNanos <= startNanos && startNanos <= endNanos)) {
            throw new IllegalArgumentException("times must satisfy submit <= start <= end, got " + submitNanos
                    + ", " + startNanos + ", " + endNanos);
        }
    }

    /**
     * From the launch call to the first block running: queueing behind other work (and latency).
     * The quantity a scheduler's priority shortens.
     *
     * @return {@code startNanos - submitNanos}, in nanoseconds
     */
    public long waitNanos() {
        return startNanos - submitNanos;
    }

    /**
     * From the first block running to the last block completing; longer than the ideal
     * {@code ceil(blocks / slots) * blockNanos} when other kernels held slots.
     *
     * @return {@code endNanos - startNanos}, in nanoseconds
     */
    public long runNanos() {
        return endNanos - startNanos;
    }

    /**
     * From the launch call to completion: the launch's latency as its submitter sees it.
     *
     * @return {@code endNanos - submitNanos}, in nanoseconds
     */
    public long totalNanos() {
        return endNanos - submitNanos;
    }
}
