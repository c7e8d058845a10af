package dev.xsched.examples.resnet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Folded weights for every convolution and fully connected layer of a {@link Network}, by layer
 * name. {@link #random} makes them from a seed; nothing is downloaded.
 */
public record ModelWeights(Map<String, ConvWeights> byLayer) {
    public ModelWeights {
        byLayer = Map.copyOf(byLayer);
    }

    public ConvWeights of(String layer) {
        ConvWeights w = byLayer.get(layer);
        if (w == null) {
            throw new IllegalArgumentException("no weights for layer '" + layer + "'");
        }
        return w;
    }

    /**
     * Random weights, reproducible from {@code seed}:
     * <ul>
     * <li>convolutions: He (Kaiming) normal with fan-out, as torchvision initialises them,
     *     {@code std = sqrt(2 / (Cout * k * k))};</li>
     * <li>each convolution's batch norm: random statistics, so that the folding is exercised and
     *     not the identity: gamma uniform in [0.5, 1), beta and mean normal with std 0.1, variance
     *     uniform in [0.5, 1.5); gamma below 1 also keeps activations from growing much through
     *     the residual additions;</li>
     * <li>fully connected: PyTorch's default, weight and bias uniform in
     *     {@code [-1/sqrt(in), 1/sqrt(in))}.</li>
     * </ul>
     */
    public static ModelWeights random(Network network, long seed) {
        var random = new SplittableRandom(seed);
        Map<String, ConvWeights> weights = new LinkedHashMap<>();
        for (Layer layer : network.layers()) {
            switch (layer) {
                case Layer.Conv conv -> weights.put(conv.name(), randomConv(conv.shape(), random.split()));
                case Layer.Linear fc -> weights.put(fc.name(), randomLinear(fc.asConv(), random.split()));
                case Layer.MaxPool p -> { }
                case Layer.GlobalAvgPool p -> { }
            }
        }
        return new ModelWeights(weights);
    }

    static ConvWeights randomConv(ConvShape shape, SplittableRandom random) {
        int cout = shape.outChannels();
        double std = Math.sqrt(2.0 / ((double) cout * shape.kernelSize() * shape.kernelSize()));
        float[] weight = new float[Math.toIntExact(shape.weightCount())];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) (random.nextGaussian() * std);
        }
        float[] gamma = new float[cout];
        float[] beta = new float[cout];
        float[] mean = new float[cout];
        float[] variance = new float[cout];
        for (int c = 0; c < cout; c++) {
            gamma[c] = (float) random.nextDouble(0.5, 1.0);
            beta[c] = (float) (random.nextGaussian() * 0.1);
            mean[c] = (float) (random.nextGaussian() * 0.1);
            variance[c] = (float) random.nextDouble(0.5, 1.5);
        }
        return new BatchNorm(gamma, beta, mean, variance, BatchNorm.DEFAULT_EPS).foldInto(shape, weight);
    }

    static ConvWeights randomLinear(ConvShape shape, SplittableRandom random) {
        double bound = 1.0 / Math.sqrt(shape.inChannels());
        float[] weight = new float[Math.toIntExact(shape.weightCount())];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) random.nextDouble(-bound, bound);
        }
        float[] bias = new float[shape.outChannels()];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) random.nextDouble(-bound, bound);
        }
        return new ConvWeights(shape, weight, bias);
    }
}
