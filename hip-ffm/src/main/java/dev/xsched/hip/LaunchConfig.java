package dev.xsched.hip;

import java.util.Objects;

/**
 * How a kernel is launched: grid, block and dynamic shared memory, the {@code <<<grid, block,
 * shared>>>} of CUDA C++. Limits of the device (threads per block, shared memory) are checked by
 * the launch, which fails with {@link HipError#INVALID_CONFIGURATION} or
 * {@link HipError#INVALID_VALUE}.
 *
 * @param grid              blocks in the grid
 * @param block             threads in a block
 * @param sharedMemoryBytes dynamic shared memory per block in bytes ({@code extern __shared__})
 */
public record LaunchConfig(Dim3 grid, Dim3 block, int sharedMemoryBytes) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException     if {@code grid} or {@code block} is null
     * @throws IllegalArgumentException if {@code sharedMemoryBytes} is negative
     */
    public LaunchConfig {
        Objects.requireNonNull(grid, "grid");
        Objects.requireNonNull(block, "block");
        if (sharedMemoryBytes < 0) {
            throw new IllegalArgumentException("sharedMemoryBytes must be >= 0, got " + sharedMemoryBytes);
        }
    }

    /**
     * A launch without dynamic shared memory.
     *
     * @param grid  blocks in the grid
     * @param block threads in a block
     * @return the configuration
     */
    public static LaunchConfig of(Dim3 grid, Dim3 block) {
        return new LaunchConfig(grid, block, 0);
    }

    /**
     * A one-dimensional launch without dynamic shared memory.
     *
     * @param gridX  blocks in the grid, {@code >= 1}
     * @param blockX threads in a block, {@code >= 1}
     * @return {@code <<<gridX, blockX, 0>>>}
     */
    public static LaunchConfig of(int gridX, int blockX) {
        return new LaunchConfig(Dim3.of(gridX), Dim3.of(blockX), 0);
    }

    /**
     * The same grid and block with another amount of dynamic shared memory.
     *
     * @param bytes dynamic shared memory per block in bytes, {@code >= 0}
     * @return a new configuration; this one is unchanged
     */
    public LaunchConfig withSharedMemory(int bytes) {
        return new LaunchConfig(grid, block, bytes);
    }
}
