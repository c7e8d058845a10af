package dev.xsched.hip.internal.sim;

import dev.xsched.hip.PriorityRange;
import dev.xsched.hip.sim.KernelCostModel;
import dev.xsched.hip.sim.SimKernelBody;
import dev.xsched.hip.sim.SimListener;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a simulated platform is built from; validated by the public builder, re-checked here
 * because the engine relies on it.
 *
 * @param devices              the number of devices
 * @param computeUnits         compute units per device
 * @param blocksPerComputeUnit thread blocks one compute unit runs at once
 * @param memoryBytes          device memory per device (accounting only)
 * @param hardwarePriority     whether freed block slots go to the highest-priority stream first
 * @param priorityRange        the stream priorities a device accepts
 * @param copyBytesPerSecond   the bandwidth of every copy and memset
 * @param latencyNanos         the fixed delay before a kernel's blocks may start, and added to every copy
 * @param yieldCheckNanos      how often a running block of a yieldable kernel checks its stop flag
 * @param stoppedBlocksRestart whether a block stopped at a check starts again from its beginning when relaunched
 * @param costModel            block durations
 * @param bodies               Java bodies of kernels, by name
 * @param listeners            observers registered at build time
 * @param virtualTime          virtual (manual) time, or wall-clock time
 * @param launchHostNanos      host time each kernel launch spends spinning on the calling thread
 */
public record SimConfig(int devices, int computeUnits, int blocksPerComputeUnit, long memoryBytes,
                        boolean hardwarePriority, PriorityRange priorityRange, double copyBytesPerSecond,
                        long latencyNanos, long yieldCheckNanos, boolean stoppedBlocksRestart, KernelCostModel costModel, Map<String, SimKernelBody> bodies,
                        List<SimListener> listeners, boolean virtualTime, long launchHostNanos) {
    public SimConfig {
        if (devices < 0 || computeUnits < 1 || blocksPerComputeUnit < 1 || memoryBytes < 1 || latencyNanos < 0
                || launchHostNanos < 0
                || yieldCheckNanos < 1 || !(copyBytesPerSecond > 0) || Double.isInfinite(copyBytesPerSecond)) {
            throw new IllegalArgumentException("invalid simulator configuration: devices=" + devices + ", computeUnits="
                    + computeUnits + ", blocksPerComputeUnit=" + blocksPerComputeUnit + ", memoryBytes=" + memoryBytes
                    + ", copyBytesPerSecond=" + copyBytesPerSecond + ", latencyNanos=" + latencyNanos
                    + ", yieldCheckNanos=" + yieldCheckNanos + ", launchHostNanos=" + launchHostNanos);
        }
        Objects.requireNonNull(priorityRange, "priorityRange");
        Objects.requireNonNull(costModel, "costModel");
        bodies = Map.copyOf(bodies);
        listeners = List.copyOf(listeners);
        // Slots are handed out as ints; refuse configurations whose product overflows.
        Math.multiplyExact(computeUnits, blocksPerComputeUnit);
    }

    /** Thread blocks a device runs at once. */
    public int slots() {
        return computeUnits * blocksPerComputeUnit;
    }

    /** How long a copy or memset of {@code bytes} occupies its stream. */
    public long transferNanos(long bytes) {
        return latencyNanos + (long) Math.ceil(bytes * 1e9 / copyBytesPerSecond);
    }
}
