package dev.xsched.examples.resnet;

/**
 * The shape of a 2-D max pooling over a single image: square window, same stride and padding in
 * both directions; padding never wins (it acts as minus infinity, as in PyTorch).
 */
public record PoolShape(int channels, int inHeight, int inWidth, int kernelSize, int stride, int padding) {
    public PoolShape {
        Checks.positive("channels", channels);
        Checks.positive("inHeight", inHeight);
        Checks.positive("inWidth", inWidth);
        Checks.positive("kernelSize", kernelSize);
        Checks.positive("stride", stride);
        // PyTorch's rule; it also guarantees that every window holds at least one real element.
        if (padding < 0 || 2 * padding > kernelSize) {
            throw new IllegalArgumentException("padding must be in [0, kernelSize/2=" + kernelSize / 2 + "], got " + padding);
        }
        if (inHeight + 2 * padding < kernelSize || inWidth + 2 * padding < kernelSize) {
            throw new IllegalArgumentException("a " + kernelSize + "x" + kernelSize + " window does not fit a "
                    + inHeight + "x" + inWidth + " input padded by " + padding);
        }
    }

    public int outHeight() {
        return (inHeight + 2 * padding - kernelSize) / stride + 1;
    }

    public int outWidth() {
        return (inWidth + 2 * padding - kernelSize) / stride + 1;
    }

    public long inputElements() {
        return (long) channels * inHeight * inWidth;
    }

    public long outputElements() {
        return (long) channels * outHeight() * outWidth();
    }
}
