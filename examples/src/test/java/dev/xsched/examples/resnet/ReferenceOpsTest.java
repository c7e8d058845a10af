package dev.xsched.examples.resnet;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/** The CPU reference on shapes small enough to work out by hand, and a few laws it must obey. */
class ReferenceOpsTest {
    private static final float[] ONE_TO_NINE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    @Test
    void convolutionWithOneKernelByHand() {
        // out[y][x] = in[y][x] - in[y+1][x+1] + 0.5 = -3.5 everywhere
        var w = new ConvWeights(new ConvShape(1, 1, 3, 3, 2, 1, 0), new float[]{1, 0, 0, -1}, new float[]{0.5f});
        assertThat(ReferenceOps.conv2d(ONE_TO_NINE, 1, w, null, false)).containsExactly(-3.5f, -3.5f, -3.5f, -3.5f);
    }

    @Test
    void paddedStridedConvolutionByHand() {
        // A 3x3 box filter, stride 2, padding 1: each output sums the in-image part of its window.
        var w = new ConvWeights(new ConvShape(1, 1, 3, 3, 3, 2, 1), ones(9), new float[]{0});
        assertThat(ReferenceOps.conv2d(ONE_TO_NINE, 1, w, null, false)).containsExactly(12, 16, 24, 28);
    }

    @Test
    void residualIsAddedBeforeTheReLU() {
        var w = new ConvWeights(new ConvShape(1, 1, 3, 3, 3, 2, 1), ones(9), new float[]{0});
        float[] residual = {-30, 1, -24.5f, 0};
        assertThat(ReferenceOps.conv2d(ONE_TO_NINE, 1, w, residual, true)).containsExactly(0, 17, 0, 28);
        assertThat(ReferenceOps.conv2d(ONE_TO_NINE, 1, w, residual, false)).containsExactly(-18, 17, -0.5f, 28);
    }

    @Test
    void channelsAreSummedAndImagesKeptApart() {
        // 2 input channels (the second is the first negated and doubled), 2 output channels, 1x1 kernel;
        // image 2 is image 1 times 10.
        float[] in = new float[2 * 2 * 4];
        for (int i = 0; i < 4; i++) {
            in[i] = i + 1;
            in[4 + i] = -2 * (i + 1);
            in[8 + i] = 10 * (i + 1);
            in[12 + i] = -20 * (i + 1);
        }
        // co0 = 1*c0 + 1*c1 = -(i+1);  co1 = 3*c0 + 1*c1 = (i+1), bias 1
        var w = new ConvWeights(new ConvShape(2, 2, 2, 2, 1, 1, 0), new float[]{1, 1, 3, 1}, new float[]{0, 1});
        assertThat(ReferenceOps.conv2d(in, 2, w, null, false)).containsExactly(
                -1, -2, -3, -4, 2, 3, 4, 5,
                -10, -20, -30, -40, 11, 21, 31, 41);
    }

    @Test
    void maxPoolIgnoresPadding() {
        float[] negative = new float[16];
        for (int i = 0; i < 16; i++) {
            negative[i] = -(i + 1);
        }
        var shape = new PoolShape(1, 4, 4, 3, 2, 1);
        assertThat(ReferenceOps.maxPool2d(negative, 1, shape)).containsExactly(-1, -2, -5, -6);
        float[] positive = new float[16];
        for (int i = 0; i < 16; i++) {
            positive[i] = i + 1;
        }
        assertThat(ReferenceOps.maxPool2d(positive, 1, shape)).containsExactly(6, 8, 14, 16);
    }

    @Test
    void globalAveragePoolAveragesEachPlane() {
        assertThat(ReferenceOps.globalAvgPool(new float[]{1, 2, 3, 4, 10, 20, 30, 40}, 2, 4)).containsExactly(2.5f, 25f);
    }

    @Test
    void linearByHand() {
        var w = new ConvWeights(new ConvShape(2, 3, 1, 1, 1, 1, 0), new float[]{1, 2, 3, 4, 5, 6}, new float[]{0.5f, -0.5f, 0});
        assertThat(ReferenceOps.linear(new float[]{1, -1, 2, 0}, 2, w)).containsExactly(-0.5f, -1.5f, -1, 2.5f, 5.5f, 10);
    }

    @Test
    void wrongSizesAreRejectedWithTheirNames() {
        var w = new ConvWeights(new ConvShape(1, 1, 3, 3, 3, 1, 1), ones(9), new float[]{0});
        assertThatThrownBy(() -> ReferenceOps.conv2d(new float[8], 1, w, null, false))
                .hasMessage("input must hold 9 floats, got 8");
        assertThatThrownBy(() -> new ConvShape(1, 1, 3, 3, 3, 1, 3)).hasMessageContaining("padding must be in [0, kernelSize=3)");
        assertThatThrownBy(() -> new ConvShape(1, 1, 2, 2, 7, 1, 1)).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> new PoolShape(1, 4, 4, 3, 2, 2)).hasMessageContaining("padding must be in [0, kernelSize/2=1]");
    }

    @Test
    void foldingBatchNormIntoTheConvolutionChangesNothing() {
        qt().withExamples(40).forAll(integers().between(1, 5), integers().between(1, 5), integers().between(1, 9),
                longs().all()).checkAssert((cin, cout, size, seed) -> {
            var random = new SplittableRandom(seed);
            int k = new int[]{1, 3, 5, 7}[random.nextInt(4)];
            int stride = 1 + random.nextInt(2);
            int pad = random.nextInt(k);
            if (size + 2 * pad < k) {
                return;
            }
            var shape = new ConvShape(cin, cout, size, size, k, stride, pad);
            float[] weight = gaussian(random, Math.toIntExact(shape.weightCount()));
            var bn = new BatchNorm(gaussian(random, cout), gaussian(random, cout), gaussian(random, cout),
                    uniform(random, cout, 0.1, 2), BatchNorm.DEFAULT_EPS);
            int batch = 1 + random.nextInt(2);
            float[] in = gaussian(random, Math.toIntExact(batch * shape.inputElements()));

            float[] convThenNorm = ReferenceOps.conv2d(in, batch, new ConvWeights(shape, weight, new float[cout]), null, false);
            bn.applyInPlace(convThenNorm, batch, shape.outHeight() * shape.outWidth());
            float[] folded = ReferenceOps.conv2d(in, batch, bn.foldInto(shape, weight), null, false);
            for (int i = 0; i < folded.length; i++) {
                assertThat(folded[i]).isCloseTo(convThenNorm[i], within(1e-4f * (1 + Math.abs(convThenNorm[i]))));
            }
        });
    }

    @Test
    void aOneByOneConvolutionIsALinearLayerAtEveryPixel() {
        qt().withExamples(40).forAll(integers().between(1, 6), integers().between(1, 6), integers().between(1, 5),
                longs().all()).checkAssert((cin, cout, size, seed) -> {
            var random = new SplittableRandom(seed);
            var shape = new ConvShape(cin, cout, size, size, 1, 1, 0);
            var w = new ConvWeights(shape, gaussian(random, cin * cout), gaussian(random, cout));
            var fc = new ConvWeights(new ConvShape(cin, cout, 1, 1, 1, 1, 0), w.weight(), w.bias());
            float[] in = gaussian(random, cin * size * size);
            float[] conv = ReferenceOps.conv2d(in, 1, w, null, false);
            int plane = size * size;
            for (int p = 0; p < plane; p++) {
                float[] pixel = new float[cin];
                for (int c = 0; c < cin; c++) {
                    pixel[c] = in[c * plane + p];
                }
                float[] expected = ReferenceOps.linear(pixel, 1, fc);
                for (int c = 0; c < cout; c++) {
                    assertThat(conv[c * plane + p]).isEqualTo(expected[c]);
                }
            }
        });
    }

    @Test
    void reductionMajorWeightsAreTheTranspose() {
        var w = new ConvWeights(new ConvShape(1, 2, 2, 2, 1, 1, 0), new float[]{1, 2}, new float[2]);
        assertThat(w.reductionMajor()).containsExactly(1, 2);
        var w2 = new ConvWeights(new ConvShape(2, 3, 1, 1, 1, 1, 0), new float[]{1, 2, 3, 4, 5, 6}, new float[3]);
        assertThat(w2.reductionMajor()).containsExactly(1, 3, 5, 2, 4, 6);
    }

    static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }

    static float[] gaussian(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }

    static float[] uniform(SplittableRandom random, int n, double from, double to) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextDouble(from, to);
        }
        return a;
    }
}
