package dev.xsched.examples.resnet;

/**
 * Inference-time batch normalization of {@code channels} channels:
 * {@code y = gamma * (x - mean) / sqrt(var + eps) + beta}. Folded into the preceding
 * convolution it costs nothing at run time: scale each output channel's weights by
 * {@code gamma / sqrt(var + eps)} and use {@code beta - mean * gamma / sqrt(var + eps)} as bias.
 */
public record BatchNorm(float[] gamma, float[] beta, float[] mean, float[] variance, float eps) {
    /** torchvision's epsilon. */
    public static final float DEFAULT_EPS = 1e-5f;

    public BatchNorm {
        int c = gamma.length;
        Checks.length("beta", beta, c);
        Checks.length("mean", mean, c);
        Checks.length("variance", variance, c);
        for (float v : variance) {
            if (!(v >= 0)) {
                throw new IllegalArgumentException("variance must be >= 0, got " + v);
            }
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("eps must be > 0, got " + eps);
        }
    }

    public int channels() {
        return gamma.length;
    }

    /** Applies the normalization to {@code x}, laid out {@code [batch][channels][plane]}, in place. */
    public void applyInPlace(float[] x, int batch, int plane) {
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels(); c++) {
                double scale = gamma[c] / Math.sqrt((double) variance[c] + eps);
                int base = (b * channels() + c) * plane;
                for (int i = 0; i < plane; i++) {
                    x[base + i] = (float) ((x[base + i] - mean[c]) * scale + beta[c]);
                }
            }
        }
    }

    /** The convolution {@code weight} (bias-free, [Cout][...]) followed by this norm, as one convolution. */
    public ConvWeights foldInto(ConvShape shape, float[] weight) {
        if (shape.outChannels() != channels()) {
            throw new IllegalArgumentException("batch norm has " + channels() + " channels, the convolution "
                    + shape.outChannels() + " outputs");
        }
        Checks.length("weight", weight, shape.weightCount());
        int perChannel = shape.reductionSize();
        float[] folded = new float[weight.length];
        float[] bias = new float[channels()];
        for (int c = 0; c < channels(); c++) {
            double scale = gamma[c] / Math.sqrt((double) variance[c] + eps);
            for (int i = 0; i < perChannel; i++) {
                folded[c * perChannel + i] = (float) (weight[c * perChannel + i] * scale);
            }
            bias[c] = (float) (beta[c] - mean[c] * scale);
        }
        return new ConvWeights(shape, folded, bias);
    }
}
