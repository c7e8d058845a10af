package dev.xsched.examples.resnet;

import java.util.stream.IntStream;

/**
 * The layers on the CPU, written as directly as their definitions (NCHW, float data, double
 * accumulation): the yardstick the GPU kernels are tested against. Parallel over output channels
 * only so that a whole ResNet-18 image takes seconds, not a minute.
 */
public final class ReferenceOps {
    private ReferenceOps() {
    }

    /**
     * {@code relu(conv(in, w) + bias + residual)}, the ReLU and the residual each optional.
     *
     * @param residual same shape as the output, or null
     */
    public static float[] conv2d(float[] in, int batch, ConvWeights w, float[] residual, boolean relu) {
        ConvShape s = w.shape();
        Checks.positive("batch", batch);
        Checks.length("input", in, batch * s.inputElements());
        int cin = s.inChannels(), cout = s.outChannels(), h = s.inHeight(), wd = s.inWidth();
        int oh = s.outHeight(), ow = s.outWidth(), k = s.kernelSize();
        float[] out = new float[Math.toIntExact(batch * s.outputElements())];
        if (residual != null) {
            Checks.length("residual", residual, out.length);
        }
        float[] weight = w.weight();
        IntStream.range(0, batch * cout).parallel().forEach(bc -> {
            int b = bc / cout, co = bc % cout;
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    double sum = w.bias()[co];
                    for (int ci = 0; ci < cin; ci++) {
                        for (int ky = 0; ky < k; ky++) {
                            int iy = y * s.stride() - s.padding() + ky;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            for (int kx = 0; kx < k; kx++) {
                                int ix = x * s.stride() - s.padding() + kx;
                                if (ix < 0 || ix >= wd) {
                                    continue;
                                }
                                sum += (double) in[((b * cin + ci) * h + iy) * wd + ix]
                                        * weight[((co * cin + ci) * k + ky) * k + kx];
                            }
                        }
                    }
                    int o = ((b * cout + co) * oh + y) * ow + x;
                    if (residual != null) {
                        sum += residual[o];
                    }
                    out[o] = (float) (relu ? Math.max(sum, 0.0) : sum);
                }
            }
        });
        return out;
    }

    /**
     * The magnitude {@code A = sum |w x| + |bias| + |residual|} of each output of
     * {@link #conv2d}: the quantity that {@link ConvPrecision#errorBound} scales into an error bound.
     */
    public static float[] conv2dMagnitude(float[] in, int batch, ConvWeights w, float[] residual) {
        ConvWeights absolute = new ConvWeights(w.shape(), abs(w.weight()), abs(w.bias()));
        return conv2d(abs(in), batch, absolute, residual == null ? null : abs(residual), false);
    }

    private static float[] abs(float[] values) {
        float[] a = new float[values.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.abs(values[i]);
        }
        return a;
    }

    /** Max pooling; windows ignore padding (as if it held minus infinity). */
    public static float[] maxPool2d(float[] in, int batch, PoolShape s) {
        Checks.positive("batch", batch);
        Checks.length("input", in, batch * s.inputElements());
        int c = s.channels(), h = s.inHeight(), w = s.inWidth(), oh = s.outHeight(), ow = s.outWidth();
        float[] out = new float[Math.toIntExact(batch * s.outputElements())];
        for (int plane = 0; plane < batch * c; plane++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    float best = Float.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < s.kernelSize(); ky++) {
                        int iy = y * s.stride() - s.padding() + ky;
                        for (int kx = 0; kx < s.kernelSize(); kx++) {
                            int ix = x * s.stride() - s.padding() + kx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                best = Math.max(best, in[(plane * h + iy) * w + ix]);
                            }
                        }
                    }
                    out[(plane * oh + y) * ow + x] = best;
                }
            }
        }
        return out;
    }

    /** The mean of each plane of {@code planeSize} consecutive values. */
    public static float[] globalAvgPool(float[] in, int planes, int planeSize) {
        Checks.positive("planes", planes);
        Checks.positive("planeSize", planeSize);
        Checks.length("input", in, (long) planes * planeSize);
        float[] out = new float[planes];
        for (int p = 0; p < planes; p++) {
            double sum = 0;
            for (int i = 0; i < planeSize; i++) {
                sum += in[p * planeSize + i];
            }
            out[p] = (float) (sum / planeSize);
        }
        return out;
    }

    /** {@code out[b][j] = sum_i W[j][i] * in[b][i] + bias[j]}, weights as a 1x1 convolution's. */
    public static float[] linear(float[] in, int batch, ConvWeights w) {
        ConvShape s = w.shape();
        if (s.kernelSize() != 1 || s.inHeight() != 1 || s.inWidth() != 1) {
            throw new IllegalArgumentException("a fully connected layer is a 1x1 convolution over 1x1 images, got " + s);
        }
        Checks.length("input", in, (long) batch * s.inChannels());
        int n = s.inChannels(), m = s.outChannels();
        float[] out = new float[batch * m];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < m; j++) {
                double sum = w.bias()[j];
                for (int i = 0; i < n; i++) {
                    sum += (double) w.weight()[j * n + i] * in[b * n + i];
                }
                out[b * m + j] = (float) sum;
            }
        }
        return out;
    }

    /** The whole network on the CPU: {@code input} is [batch][3][H][W], the result [batch][classes]. */
    public static float[] forward(Network network, ModelWeights weights, float[] input, int batch) {
        Checks.length("input", input, batch * network.input().elementsPerImage());
        var values = new java.util.HashMap<Integer, float[]>();
        values.put(network.input().id(), input);
        for (Layer layer : network.layers()) {
            float[] out = switch (layer) {
                case Layer.Conv c -> conv2d(values.get(c.input().id()), batch, weights.of(c.name()),
                        c.residual().map(r -> values.get(r.id())).orElse(null), c.relu());
                case Layer.MaxPool p -> maxPool2d(values.get(p.input().id()), batch, p.shape());
                case Layer.GlobalAvgPool g -> globalAvgPool(values.get(g.input().id()), batch * g.input().channels(),
                        g.input().height() * g.input().width());
                case Layer.Linear fc -> linear(values.get(fc.input().id()), batch, weights.of(fc.name()));
            };
            values.put(layer.output().id(), out);
        }
        return values.get(network.output().id());
    }
}
