package dev.xsched.examples.resnet;

/**
 * The weights of one convolution (or fully connected layer, as a 1x1 convolution) after batch
 * norm folding, in PyTorch's layout: {@code weight[Cout][Cin][k][k]} and {@code bias[Cout]}.
 * The arrays are shared, not copied: treat them as read-only.
 */
public record ConvWeights(ConvShape shape, float[] weight, float[] bias) {
    public ConvWeights {
        Checks.length("weight", weight, shape.weightCount());
        Checks.length("bias", bias, shape.outChannels());
    }

    /**
     * The weights transposed to K-major order, {@code [Cin*k*k][Cout]}, the layout the GPU kernel
     * reads: one row of a K slice is then consecutive output channels, a coalesced load.
     */
    public float[] reductionMajor() {
        int cout = shape.outChannels();
        int k = shape.reductionSize();
        float[] t = new float[weight.length];
        for (int co = 0; co < cout; co++) {
            for (int r = 0; r < k; r++) {
                t[r * cout + co] = weight[co * k + r];
            }
        }
        return t;
    }
}
