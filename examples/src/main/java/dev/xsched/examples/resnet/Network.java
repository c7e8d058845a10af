package dev.xsched.examples.resnet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A feed-forward network as an ordered list of layers over numbered tensors, independent of any
 * device and of the batch size. Every tensor a layer reads was written by an earlier layer, or is
 * the network's input.
 */
public record Network(String name, Tensor input, Tensor output, List<Layer> layers) {
    public Network {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        Set<Integer> written = new HashSet<>();
        written.add(input.id());
        for (Layer layer : layers) {
            for (Tensor in : layer.inputs()) {
                if (!written.contains(in.id())) {
                    throw new IllegalArgumentException(layer.name() + " reads " + in + " before any layer writes it");
                }
            }
            if (!written.add(layer.output().id())) {
                throw new IllegalArgumentException(layer.name() + " writes " + layer.output() + " a second time");
            }
        }
        if (!layers.getLast().output().equals(output)) {
            throw new IllegalArgumentException("the last layer must write the output " + output);
        }
    }

    public List<Layer.Conv> convolutions() {
        return layers.stream().filter(Layer.Conv.class::isInstance).map(Layer.Conv.class::cast).toList();
    }

    public List<Layer.Linear> linearLayers() {
        return layers.stream().filter(Layer.Linear.class::isInstance).map(Layer.Linear.class::cast).toList();
    }

    /** Every tensor: the input, then each layer's output in order. */
    public List<Tensor> tensors() {
        List<Tensor> all = new ArrayList<>();
        all.add(input);
        layers.forEach(l -> all.add(l.output()));
        return all;
    }

    /** Multiply-accumulates per image of the convolutions and the fully connected layers. */
    public long macsPerImage() {
        return layers.stream().mapToLong(Layer::macsPerImage).sum();
    }

    /** Multiply-accumulates per image of the convolutions alone. */
    public long convMacsPerImage() {
        return convolutions().stream().mapToLong(Layer::macsPerImage).sum();
    }

    /**
     * Parameters as this engine stores them: convolution weights, one folded bias per convolution
     * output channel, and the fully connected weights and biases.
     */
    public long foldedParameterCount() {
        long conv = convolutions().stream().mapToLong(c -> c.shape().weightCount() + c.shape().outChannels()).sum();
        long linear = linearLayers().stream().mapToLong(l -> (long) l.inFeatures() * l.outFeatures() + l.outFeatures()).sum();
        return conv + linear;
    }

    /**
     * Parameters as torchvision counts them ({@code sum(p.numel() for p in model.parameters())}):
     * every convolution is followed by a batch norm with a learnt scale and shift per channel, and
     * has no bias of its own, so each output channel carries two parameters where the folded form
     * stores one bias. Running mean and variance are buffers, not parameters.
     */
    public long torchvisionParameterCount() {
        long batchNormChannels = convolutions().stream().mapToLong(c -> c.shape().outChannels()).sum();
        return foldedParameterCount() + batchNormChannels;
    }
}
