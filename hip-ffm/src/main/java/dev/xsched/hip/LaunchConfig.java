package dev.xsched.hip;

import java.util.Objects;

/**
 * How a kernel is launched: grid, block and dynamic shared memory.
 *
 * @param grid              blocks in the grid
 * @param block             threads in a block
 * @param sharedMemoryBytes dynamic shared memory per block
 */
public record LaunchConfig(Dim3 grid, Dim3 block, int sharedMemoryBytes) {
    public LaunchConfig {
        Objects.requireNonNull(grid, "grid");
        Objects.requireNonNull(block, "block");
        if (sharedMemoryBytes < 0) {
            throw new IllegalArgumentException("sharedMemoryBytes must be >= 0, got " + sharedMemoryBytes);
        }
    }

    public static LaunchConfig of(Dim3 grid, Dim3 block) {
        return new LaunchConfig(grid, block, 0);
    }

    /** A one-dimensional launch. */
    public static LaunchConfig of(int gridX, int blockX) {
        return new LaunchConfig(Dim3.of(gridX), Dim3.of(blockX), 0);
    }

    public LaunchConfig withSharedMemory(int bytes) {
        return new LaunchConfig(grid, block, bytes);
    }
}
