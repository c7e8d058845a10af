package dev.xsched.examples.resnet;

import java.util.Objects;

/**
 * How a TF32 convolution's tile reads its input (conv_tf32.hip's XSCHED_LOADS_*), as the host
 * decides it for the kernels compiled once per kind ({@link ConvTiling#kernelName(ConvPrecision, ConvLoads)},
 * {@link ResNetKernels#splitLoads()}). The kernels' own test (xsched_vector_loads,
 * xsched_point_loads) is the same, so a kernel of one kind is only ever launched on its kind's
 * convolutions.
 */
public enum ConvLoads {
    /**
     * 1x1, stride 1, unpadded, with {@code H * W} a multiple of 4: a row of the GEMM's input slice
     * is 4 consecutive pixels of one image, copied 16 bytes at a time.
     */
    VECTOR("vector"),
    /**
     * The other 1x1 unpadded convolutions (ResNet's stride-2 downsamples, and 7x7 maps whose
     * {@code H * W} is odd): a 4-byte gather that needs one offset per column and no window bounds.
     */
    POINT("point"),
    /** Everything else: the 4-byte gather with the window's bounds (im2col on the fly). */
    GATHER("gather");

    private final String suffix;

    ConvLoads(String suffix) {
        this.suffix = suffix;
    }

    /** What the kernel names of this kind end with, after the tile: {@code conv2d_tf32_128x128_<suffix>}. */
    public String suffix() {
        return suffix;
    }

    /** The kind of loads {@code shape}'s convolution takes. */
    public static ConvLoads of(ConvShape shape) {
        Objects.requireNonNull(shape, "shape");
        boolean pointwise = shape.kernelSize() == 1 && shape.padding() == 0;
        if (pointwise && shape.stride() == 1 && ((long) shape.inHeight() * shape.inWidth()) % 4 == 0) {
            return VECTOR;
        }
        return pointwise ? POINT : GATHER;
    }
}
