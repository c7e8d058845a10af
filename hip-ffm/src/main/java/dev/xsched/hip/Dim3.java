package dev.xsched.hip;

/**
 * A grid or block size in up to three dimensions ({@code dim3}); every component is at least 1.
 *
 * @param x the extent in x: blocks of a grid or threads of a block
 * @param y the extent in y, 1 for a one-dimensional size
 * @param z the extent in z, 1 for a one- or two-dimensional size
 */
public record Dim3(int x, int y, int z) {
    /**
     * Checks the extents. The device's own limits ({@link DeviceAttribute#MAX_BLOCK_DIM_X},
     * {@link DeviceAttribute#MAX_GRID_DIM_X}, ...) are checked by the launch.
     *
     * @throws IllegalArgumentException if a component is below 1
     */
    public Dim3 {
        if (x < 1 || y < 1 || z < 1) {
            throw new IllegalArgumentException("dimensions must be >= 1, got (" + x + ", " + y + ", " + z + ")");
        }
    }

    /**
     * A one-dimensional size.
     *
     * @param x the extent, {@code >= 1}
     * @return {@code (x, 1, 1)}
     */
    public static Dim3 of(int x) {
        return new Dim3(x, 1, 1);
    }

    /**
     * A two-dimensional size.
     *
     * @param x the extent in x, {@code >= 1}
     * @param y the extent in y, {@code >= 1}
     * @return {@code (x, y, 1)}
     */
    public static Dim3 of(int x, int y) {
        return new Dim3(x, y, 1);
    }

    /**
     * A three-dimensional size.
     *
     * @param x the extent in x, {@code >= 1}
     * @param y the extent in y, {@code >= 1}
     * @param z the extent in z, {@code >= 1}
     * @return {@code (x, y, z)}
     */
    public static Dim3 of(int x, int y, int z) {
        return new Dim3(x, y, z);
    }

    /**
     * The number of blocks of a grid, or threads of a block.
     *
     * @return {@code x * y * z}, as a long so it cannot overflow
     */
    public long volume() {
        return (long) x * y * z;
    }
}
