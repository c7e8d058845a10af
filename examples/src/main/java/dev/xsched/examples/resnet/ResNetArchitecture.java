package dev.xsched.examples.resnet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * torchvision's ResNets (v1.5: a bottleneck's stride sits on its 3x3 convolution), with batch norm
 * folded into each convolution, for 224x224 RGB images and 1000 classes. Layer names follow
 * torchvision's module names ({@code conv1}, {@code layer1.0.conv2}, {@code layer2.0.downsample.0},
 * {@code fc}).
 */
public enum ResNetArchitecture {
    /** BasicBlock (two 3x3 convolutions), blocks [2, 2, 2, 2]. */
    RESNET18("resnet18", false, 2, 2, 2, 2),
    /** BasicBlock, blocks [3, 4, 6, 3]. */
    RESNET34("resnet34", false, 3, 4, 6, 3),
    /** Bottleneck (1x1, 3x3, 1x1 with expansion 4), blocks [3, 4, 6, 3]. */
    RESNET50("resnet50", true, 3, 4, 6, 3),
    /** Bottleneck, blocks [3, 4, 23, 3]. */
    RESNET101("resnet101", true, 3, 4, 23, 3);

    public static final int IMAGE_SIZE = 224;
    public static final int IMAGE_CHANNELS = 3;
    public static final int CLASSES = 1000;
    private static final int BOTTLENECK_EXPANSION = 4;
    private static final int[] STAGE_WIDTHS = {64, 128, 256, 512};

    private final String modelName;
    private final boolean bottleneck;
    private final int[] blocksPerStage;

    ResNetArchitecture(String modelName, boolean bottleneck, int... blocksPerStage) {
        this.modelName = modelName;
        this.bottleneck = bottleneck;
        this.blocksPerStage = blocksPerStage;
    }

    /** torchvision's name, for example {@code resnet50}. */
    public String modelName() {
        return modelName;
    }

    /** Accepts {@code resnet50}, {@code ResNet-50}, {@code RESNET50}, {@code 50}. */
    public static ResNetArchitecture parse(String text) {
        String key = text.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (ResNetArchitecture a : values()) {
            if (a.modelName.equals(key) || a.modelName.equals("resnet" + key)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown model '" + text + "'; known: resnet18, resnet34, resnet50, resnet101");
    }

    /** The layers for {@code imageSize} x {@code imageSize} inputs (224 in torchvision's models). */
    public Network network(int imageSize) {
        Checks.positive("imageSize", imageSize);
        var b = new Builder(imageSize);
        Tensor x = b.conv("conv1", b.input, 64, 7, 2, 3, Optional.empty(), true);
        x = b.maxPool("maxpool", x);
        int inChannels = 64;
        for (int stage = 0; stage < STAGE_WIDTHS.length; stage++) {
            int width = STAGE_WIDTHS[stage];
            for (int block = 0; block < blocksPerStage[stage]; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                String prefix = "layer" + (stage + 1) + "." + block;
                x = bottleneck ? b.bottleneck(prefix, x, width, stride) : b.basicBlock(prefix, x, width, stride);
            }
            inChannels = bottleneck ? width * BOTTLENECK_EXPANSION : width;
        }
        x = b.globalAvgPool("avgpool", x);
        Tensor logits = b.linear("fc", x, inChannels, CLASSES);
        return new Network(modelName, b.input, logits, b.layers);
    }

    public Network network() {
        return network(IMAGE_SIZE);
    }

    /** Appends layers and numbers the tensors they write. */
    private static final class Builder {
        final List<Layer> layers = new ArrayList<>();
        final Tensor input;
        private int nextId;

        Builder(int imageSize) {
            input = new Tensor(nextId++, IMAGE_CHANNELS, imageSize, imageSize);
        }

        Tensor conv(String name, Tensor in, int outChannels, int kernel, int stride, int padding,
                    Optional<Tensor> residual, boolean relu) {
            var shape = new ConvShape(in.channels(), outChannels, in.height(), in.width(), kernel, stride, padding);
            var out = new Tensor(nextId++, outChannels, shape.outHeight(), shape.outWidth());
            layers.add(new Layer.Conv(name, shape, in, residual, out, relu));
            return out;
        }

        Tensor maxPool(String name, Tensor in) {
            var shape = new PoolShape(in.channels(), in.height(), in.width(), 3, 2, 1);
            var out = new Tensor(nextId++, in.channels(), shape.outHeight(), shape.outWidth());
            layers.add(new Layer.MaxPool(name, shape, in, out));
            return out;
        }

        Tensor globalAvgPool(String name, Tensor in) {
            var out = new Tensor(nextId++, in.channels(), 1, 1);
            layers.add(new Layer.GlobalAvgPool(name, in, out));
            return out;
        }

        Tensor linear(String name, Tensor in, int inFeatures, int outFeatures) {
            var out = new Tensor(nextId++, outFeatures, 1, 1);
            layers.add(new Layer.Linear(name, inFeatures, outFeatures, in, out));
            return out;
        }

        /** The identity, or torchvision's downsample (1x1 convolution with the block's stride, and BN). */
        Tensor shortcut(String prefix, Tensor in, int outChannels, int stride) {
            if (stride == 1 && in.channels() == outChannels) {
                return in;
            }
            return conv(prefix + ".downsample.0", in, outChannels, 1, stride, 0, Optional.empty(), false);
        }

        Tensor basicBlock(String prefix, Tensor in, int width, int stride) {
            Tensor identity = shortcut(prefix, in, width, stride);
            Tensor t = conv(prefix + ".conv1", in, width, 3, stride, 1, Optional.empty(), true);
            return conv(prefix + ".conv2", t, width, 3, 1, 1, Optional.of(identity), true);
        }

        Tensor bottleneck(String prefix, Tensor in, int width, int stride) {
            int outChannels = width * BOTTLENECK_EXPANSION;
            Tensor identity = shortcut(prefix, in, outChannels, stride);
            Tensor t = conv(prefix + ".conv1", in, width, 1, 1, 0, Optional.empty(), true);
            t = conv(prefix + ".conv2", t, width, 3, stride, 1, Optional.empty(), true);
            return conv(prefix + ".conv3", t, outChannels, 1, 1, 0, Optional.of(identity), true);
        }
    }
}
