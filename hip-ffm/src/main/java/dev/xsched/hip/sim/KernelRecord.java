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
    public KernelRecord {
        Objects.requireNonNull(kernelName, "kernelName");
        Objects.requireNonNull(config, "config");
        if (!(submitNanos <= startNanos && startNanos <= endNanos)) {
            throw new IllegalArgumentException("times must satisfy submit <= start <= end, got " + submitNanos
                    + ", " + startNanos + ", " + endNanos);
        }
    }

    /** From the launch call to the first block running: queueing behind other work (and latency). */
    public long waitNanos() {
        return startNanos - submitNanos;
    }

    /** From the first block running to the last block completing. */
    public long runNanos() {
        return endNanos - startNanos;
    }

    /** From the launch call to completion. */
    public long totalNanos() {
        return endNanos - submitNanos;
    }
}
