package dev.xsched.examples.resnet;

/**
 * An activation of the network, per image (the batch is outermost in memory, NCHW): an id unique
 * in its {@link Network}, and its channel, height and width sizes.
 */
public record Tensor(int id, int channels, int height, int width) {
    public Tensor {
        if (id < 0) {
            throw new IllegalArgumentException("id must be >= 0, got " + id);
        }
        Checks.positive("channels", channels);
        Checks.positive("height", height);
        Checks.positive("width", width);
    }

    public long elementsPerImage() {
        return (long) channels * height * width;
    }

    @Override
    public String toString() {
        return "t" + id + "[" + channels + "x" + height + "x" + width + "]";
    }
}
