package dev.xsched.examples.resnet;

/**
 * The shape of one 2-D convolution over a single image (the batch size is given separately):
 * square kernel, the same stride and zero padding in both directions, as in every ResNet layer.
 *
 * @param inChannels  input channels (Cin)
 * @param outChannels output channels (Cout)
 * @param inHeight    input height
 * @param inWidth     input width
 * @param kernelSize  kernel height and width
 * @param stride      step between windows
 * @param padding     zeros added on every side
 */
public record ConvShape(int inChannels, int outChannels, int inHeight, int inWidth, int kernelSize, int stride,
                        int padding) {
    public ConvShape {
        Checks.positive("inChannels", inChannels);
        Checks.positive("outChannels", outChannels);
        Checks.positive("inHeight", inHeight);
        Checks.positive("inWidth", inWidth);
        Checks.positive("kernelSize", kernelSize);
        Checks.positive("stride", stride);
        if (padding < 0 || padding >= kernelSize) {
            throw new IllegalArgumentException("padding must be in [0, kernelSize=" + kernelSize + "), got " + padding);
        }
        if (inHeight + 2 * padding < kernelSize || inWidth + 2 * padding < kernelSize) {
            throw new IllegalArgumentException("a " + kernelSize + "x" + kernelSize + " kernel does not fit a "
                    + inHeight + "x" + inWidth + " input padded by " + padding);
        }
    }

    public int outHeight() {
        return (inHeight + 2 * padding - kernelSize) / stride + 1;
    }

    public int outWidth() {
        return (inWidth + 2 * padding - kernelSize) / stride + 1;
    }

    /** The GEMM reduction length: Cin * k * k. */
    public int reductionSize() {
        return inChannels * kernelSize * kernelSize;
    }

    /** Weights of the convolution (no bias): Cout * Cin * k * k. */
    public long weightCount() {
        return (long) outChannels * reductionSize();
    }

    public long inputElements() {
        return (long) inChannels * inHeight * inWidth;
    }

    public long outputElements() {
        return (long) outChannels * outHeight() * outWidth();
    }

    /** Multiply-accumulates for one image: every output element takes Cin * k * k of them. */
    public long macsPerImage() {
        return outputElements() * reductionSize();
    }

    @Override
    public String toString() {
        return inChannels + "x" + inHeight + "x" + inWidth + " -> " + outChannels + "x" + outHeight() + "x" + outWidth()
                + " (" + kernelSize + "x" + kernelSize + "/" + stride + " pad " + padding + ")";
    }
}
