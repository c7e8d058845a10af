package dev.xsched.examples.resnet;

import dev.xsched.hip.Dim3;
import dev.xsched.hip.LaunchConfig;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The tile shapes of the implicit-GEMM convolution kernels (resnet_kernels.hip for FP32,
 * conv_mfma.hip for FP32 on AMD's matrix cores, conv_tf32.hip for TF32: same shapes, same grid,
 * same arguments). A block
 * computes {@code tileChannels} output channels by {@code tilePixels} output pixels (pixels of the
 * whole batch in one row). The grid is one-dimensional, channel tiles x pixel tiles blocks, and the
 * kernel takes channel tiles fastest (so that blocks in flight share input tiles in L2).
 */
public enum ConvTiling {
    /** 128 x 128 tiles (FP32: 8 x 8 outputs per thread): the efficient shape, for layers with many tiles. */
    LARGE("conv2d_igemm_128x128", "conv2d_tf32_128x128", MatrixCores.KERNEL_PREFIX + "128x128", 128, 128),
    /** 64 x 64 tiles (FP32: 4 x 4 outputs per thread): four times the blocks, for small layers. */
    SMALL("conv2d_igemm_64x64", "conv2d_tf32_64x64", MatrixCores.KERNEL_PREFIX + "64x64", 64, 64),
    /**
     * 64 channels x 128 pixels, TF32 only: for layers of at most 64 output channels (ResNet's stem
     * and layer1), where a 128-channel tile would multiply zeros half the time.
     */
    NARROW(null, "conv2d_tf32_64x128", null, 64, 128);

    /**
     * Threads per block of every kernel (FP32: 16 x 16 threads, each owning one micro-tile; FP32 on
     * AMD's matrix cores: 4 wavefronts of 64, each owning a quarter of the tile; TF32: 8 warps, each
     * owning a quarter of the tile's columns and half its rows).
     */
    public static final int THREADS = 256;

    private final String kernelName;
    private final String tf32KernelName;
    private final String matrixCoreKernelName;
    private final int tileChannels;
    private final int tilePixels;

    ConvTiling(String kernelName, String tf32KernelName, String matrixCoreKernelName, int tileChannels, int tilePixels) {
        this.kernelName = kernelName;
        this.tf32KernelName = tf32KernelName;
        this.matrixCoreKernelName = matrixCoreKernelName;
        this.tileChannels = tileChannels;
        this.tilePixels = tilePixels;
    }

    /** The FP32 kernel of this shape. */
    public String kernelName() {
        return kernelName(ConvPrecision.FP32);
    }

    /** The {@linkplain dev.xsched.hip.YieldableKernels yieldable} entry point of the FP32 kernel. */
    public String yieldKernelName() {
        return yieldKernelName(ConvPrecision.FP32);
    }

    /** Whether a kernel of this shape computes in {@code precision}. */
    public boolean supports(ConvPrecision precision) {
        return precision == ConvPrecision.TF32 || kernelName != null;
    }

    /**
     * The kernel of this shape computing in {@code precision}.
     *
     * @throws IllegalArgumentException when this shape has no kernel of that precision
     */
    public String kernelName(ConvPrecision precision) {
        if (!supports(precision)) {
            throw new IllegalArgumentException(name() + " tiles have no " + precision.label() + " kernel");
        }
        return switch (precision) {
            case FP32 -> kernelName;
            case TF32 -> tf32KernelName;
        };
    }

    /**
     * Whether this shape's kernels of {@code precision} are also compiled once per kind of input
     * load ({@link ConvLoads}; conv_tf32.hip's XSCHED_TC_BY_LOADS): the 128 x 128 TF32 tile, whose
     * 64 accumulators leave too few registers for the offsets of two kinds at once.
     */
    public boolean splitsLoads(ConvPrecision precision) {
        return this == LARGE && precision == ConvPrecision.TF32;
    }

    /**
     * The kernel of this shape computing in {@code precision} for convolutions of {@code loads}:
     * {@code conv2d_tf32_128x128_<kind>} where {@link #splitsLoads} (its yieldable twin is that
     * name with {@code _yield}, its persistent twin with {@code _persist}), else
     * {@link #kernelName(ConvPrecision)}, which takes every kind.
     */
    public String kernelName(ConvPrecision precision, ConvLoads loads) {
        return splitsLoads(precision) ? kernelName(precision) + "_" + loads.suffix() : kernelName(precision);
    }

    /**
     * This shape's kernels of {@code precision} compiled for one kind of input load each, in
     * {@link ConvLoads} order: none unless it {@linkplain #splitsLoads splits} them. Each has a
     * yieldable twin ({@code _yield}) and, in TF32, a persistent one ({@code _persist}).
     */
    public List<String> kernelNamesByLoads(ConvPrecision precision) {
        return splitsLoads(precision)
                ? Arrays.stream(ConvLoads.values()).map(loads -> kernelName(precision, loads)).toList()
                : List.of();
    }

    /**
     * Whether this shape's plain kernel of {@code precision} has a split-K variant
     * ({@link SplitK}): the 64 x 64 TF32 tile, which {@link #choose} gives the layers too small
     * for the large one.
     */
    public boolean splitsK(ConvPrecision precision) {
        return this == SMALL && precision == ConvPrecision.TF32;
    }

    /**
     * The split-K variant of this shape's TF32 kernel ({@code conv2d_tf32_64x64_splitk}).
     *
     * @throws IllegalStateException if this shape has none ({@link #splitsK})
     */
    public String splitKKernelName() {
        if (!splitsK(ConvPrecision.TF32)) {
            throw new IllegalStateException(name() + " tiles have no split-K kernel");
        }
        return kernelName(ConvPrecision.TF32) + "_splitk";
    }

    /**
     * The FP32 kernel of this shape on AMD's matrix cores ({@link MatrixCores}, conv_mfma.hip): the
     * same arguments and grid as {@link #kernelName()}, its yieldable twin named with {@code _yield}.
     *
     * @throws IllegalStateException if this shape has no FP32 kernel
     */
    public String matrixCoreKernelName() {
        if (matrixCoreKernelName == null) {
            throw new IllegalStateException(name() + " tiles have no matrix-core kernel");
        }
        return matrixCoreKernelName;
    }

    /** Whether this shape has a {@linkplain #matrixCoreKernelName() matrix-core kernel} (the FP32 shapes). */
    public boolean hasMatrixCoreKernel() {
        return matrixCoreKernelName != null;
    }

    /** The matrix-core kernel that takes the place of the FP32-core kernel {@code kernel}, if it is one. */
    public static Optional<String> matrixCoreTwinOf(String kernel) {
        return Arrays.stream(values()).filter(t -> t.hasMatrixCoreKernel() && kernel.equals(t.kernelName))
                .map(t -> t.matrixCoreKernelName).findFirst();
    }

    /** The yieldable entry point of {@link #kernelName(ConvPrecision)}. */
    public String yieldKernelName(ConvPrecision precision) {
        return kernelName(precision) + "_yield";
    }

    /**
     * The persistent-grid twin of the TF32 yieldable kernel ({@code conv2d_tf32_*_persist}, see
     * {@link PersistentGrid}): the same arguments, launched with fewer blocks than tiles.
     */
    public String persistKernelName() {
        return kernelName(ConvPrecision.TF32) + "_persist";
    }

    public int tileChannels() {
        return tileChannels;
    }

    public int tilePixels() {
        return tilePixels;
    }

    /**
     * The shape for a layer on a GPU of {@code computeUnits} SMs (CUs): the large tile when it
     * alone yields at least one block per SM, otherwise the small one. A large-tile grid smaller
     * than the GPU leaves SMs idle, and the small tile's lower arithmetic intensity costs less than
     * that (ResNet-18 at batch 1 ends with 49-pixel layers: 4 large blocks, 8 small ones).
     */
    public static ConvTiling choose(ConvShape shape, int batch, int computeUnits) {
        Checks.positive("computeUnits", computeUnits);
        return LARGE.blocks(shape, batch) >= computeUnits ? LARGE : SMALL;
    }

    /**
     * {@link #choose(ConvShape, int, int)} for the kernels of {@code precision}; TF32 layers of at
     * most 64 output channels take the {@link #NARROW} tile when it alone fills the GPU.
     */
    public static ConvTiling choose(ConvShape shape, int batch, int computeUnits, ConvPrecision precision) {
        ConvTiling tiling = choose(shape, batch, computeUnits);
        if (precision == ConvPrecision.TF32 && tiling == LARGE && shape.outChannels() <= NARROW.tileChannels
                && NARROW.blocks(shape, batch) >= computeUnits) {
            return NARROW;
        }
        return tiling;
    }

    /** Output pixels over the whole batch: the GEMM's N dimension. */
    static int pixels(ConvShape shape, int batch) {
        Checks.positive("batch", batch);
        long n = (long) batch * shape.outHeight() * shape.outWidth();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batch " + batch + " x " + shape.outHeight() + "x" + shape.outWidth()
                    + " output pixels exceed the kernel's 32-bit pixel index");
        }
        return (int) n;
    }

    public long blocks(ConvShape shape, int batch) {
        return grid(shape, batch).volume();
    }

    public int pixelTiles(ConvShape shape, int batch) {
        return ceilDiv(pixels(shape, batch), tilePixels);
    }

    public int channelTiles(ConvShape shape) {
        return ceilDiv(shape.outChannels(), tileChannels);
    }

    public Dim3 grid(ConvShape shape, int batch) {
        long blocks = (long) pixelTiles(shape, batch) * channelTiles(shape);
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(shape + " at batch " + batch + " needs " + blocks
                    + " blocks, more than a grid's x dimension holds");
        }
        return Dim3.of((int) blocks);
    }

    public LaunchConfig launchConfig(ConvShape shape, int batch) {
        return LaunchConfig.of(grid(shape, batch), Dim3.of(THREADS));
    }

    static int ceilDiv(long a, int b) {
        return Math.toIntExact((a + b - 1) / b);
    }
}
