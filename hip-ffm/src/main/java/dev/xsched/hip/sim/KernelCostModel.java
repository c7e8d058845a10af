package dev.xsched.hip.sim;

import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How long one thread block of a kernel runs in the simulator. A launch of grid volume G becomes G
 * blocks of this duration; how many run at once depends on the device's block slots (see
 * {@link SimulatedPlatform.Builder#computeUnits}), so a kernel's duration is an outcome of the
 * simulation, not an input.
 *
 * <p>Called on the launching thread, once per launch, before the launch is queued. Implementations
 * must be thread-safe and must not call back into the platform.
 */
@FunctionalInterface
public interface KernelCostModel {
    /**
     * The duration of one block of this launch, in nanoseconds (0 or more).
     *
     * @param kernelName the kernel's symbol name
     * @param config     the launch's grid and block
     * @param args       the launch's arguments (a model may, for example, scale with a size argument)
     * @return the duration of each block in nanoseconds, {@code >= 0}
     */
    long blockNanos(String kernelName, LaunchConfig config, KernelArgs args);

    /**
     * Every block of every kernel takes {@code block}.
     *
     * @param block the duration of one block, not negative
     * @return an immutable model
     * @throws IllegalArgumentException if {@code block} is negative
     */
    static KernelCostModel fixed(Duration block) {
        return new FixedCostModel(nonNegativeNanos(block, "block duration"));
    }

    /**
     * Blocks of the kernels named in {@code byName} take the duration mapped to their name; blocks of
     * other kernels take {@code otherwise}.
     *
     * @param byName    block durations by kernel symbol name; copied
     * @param otherwise the block duration of kernels not in {@code byName}
     * @return an immutable model
     * @throws IllegalArgumentException if a duration is negative
     */
    static KernelCostModel perKernel(Map<String, Duration> byName, Duration otherwise) {
        Objects.requireNonNull(byName, "byName");
        Map<String, Long> nanosByName = new java.util.HashMap<>();
        byName.forEach((name, duration) -> {
            Objects.requireNonNull(name, "kernel name");
            nanosByName.put(name, nonNegativeNanos(duration, "block duration of kernel " + name));
        });
        long fallback = nonNegativeNanos(otherwise, "default block duration");
        return new PerKernelCostModel(Map.copyOf(nanosByName), fallback);
    }

    private static long nonNegativeNanos(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + duration);
        }
        return duration.toNanos();
    }
}
