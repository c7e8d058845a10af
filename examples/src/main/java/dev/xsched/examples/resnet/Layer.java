package dev.xsched.examples.resnet;

import java.util.List;
import java.util.Optional;

/** One step of a {@link Network}: it reads its input tensors and writes one output tensor. */
public sealed interface Layer {
    /** The torchvision module name, for example {@code layer2.0.downsample.0} or {@code fc}. */
    String name();

    Tensor output();

    /** The tensors read, the main input first. */
    List<Tensor> inputs();

    /** Multiply-accumulates for one image (0 for pooling). */
    long macsPerImage();

    /**
     * A convolution with batch norm folded into its weights and bias, optionally adding a residual
     * tensor (same shape as the output) before an optional ReLU.
     */
    record Conv(String name, ConvShape shape, Tensor input, Optional<Tensor> residual, Tensor output, boolean relu)
            implements Layer {
        public Conv {
            requireShape(input, shape.inChannels(), shape.inHeight(), shape.inWidth(), name + " input");
            requireShape(output, shape.outChannels(), shape.outHeight(), shape.outWidth(), name + " output");
            residual.ifPresent(r -> requireShape(r, output.channels(), output.height(), output.width(), name + " residual"));
        }

        @Override
        public List<Tensor> inputs() {
            return residual.map(r -> List.of(input, r)).orElse(List.of(input));
        }

        @Override
        public long macsPerImage() {
            return shape.macsPerImage();
        }
    }

    /** Max pooling. */
    record MaxPool(String name, PoolShape shape, Tensor input, Tensor output) implements Layer {
        public MaxPool {
            requireShape(input, shape.channels(), shape.inHeight(), shape.inWidth(), name + " input");
            requireShape(output, shape.channels(), shape.outHeight(), shape.outWidth(), name + " output");
        }

        @Override
        public List<Tensor> inputs() {
            return List.of(input);
        }

        @Override
        public long macsPerImage() {
            return 0;
        }
    }

    /** Mean over each channel's plane: C x H x W to C x 1 x 1. */
    record GlobalAvgPool(String name, Tensor input, Tensor output) implements Layer {
        public GlobalAvgPool {
            requireShape(output, input.channels(), 1, 1, name + " output");
        }

        @Override
        public List<Tensor> inputs() {
            return List.of(input);
        }

        @Override
        public long macsPerImage() {
            return 0;
        }
    }

    /**
     * A fully connected layer with bias, {@code out = W x + b} on C x 1 x 1 tensors. It runs as a
     * 1x1 convolution over a 1x1 image ({@link #asConv()}): the same GEMM.
     */
    record Linear(String name, int inFeatures, int outFeatures, Tensor input, Tensor output) implements Layer {
        public Linear {
            requireShape(input, inFeatures, 1, 1, name + " input");
            requireShape(output, outFeatures, 1, 1, name + " output");
        }

        public ConvShape asConv() {
            return new ConvShape(inFeatures, outFeatures, 1, 1, 1, 1, 0);
        }

        @Override
        public List<Tensor> inputs() {
            return List.of(input);
        }

        @Override
        public long macsPerImage() {
            return (long) inFeatures * outFeatures;
        }
    }

    private static void requireShape(Tensor t, int channels, int height, int width, String what) {
        if (t.channels() != channels || t.height() != height || t.width() != width) {
            throw new IllegalArgumentException(what + " must be " + channels + "x" + height + "x" + width + ", got " + t);
        }
    }
}
