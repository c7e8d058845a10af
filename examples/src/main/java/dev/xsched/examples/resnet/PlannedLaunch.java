package dev.xsched.examples.resnet;

import dev.xsched.hip.Dim3;
import dev.xsched.hip.LaunchConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One kernel launch of a forward pass, before any device is involved: which layer, which kernel,
 * the grid and block, and for a split-K convolution ({@link SplitK}) the blocks sharing each
 * tile's reduction. A model's launches are exactly {@link #plan}'s, in order.
 *
 * @param splits 1, or the splits of a split-K kernel's tiles (its grid is tiles x splits blocks)
 */
public record PlannedLaunch(String layer, String kernel, LaunchConfig config, int splits) {
    public PlannedLaunch {
        Checks.positive("splits", splits);
    }

    /** A launch that does not split K. */
    public PlannedLaunch(String layer, String kernel, LaunchConfig config) {
        this(layer, kernel, config, 1);
    }

    /** This launch with {@code kernel} in place of its own (a kernel of the same arguments and grid). */
    public PlannedLaunch withKernel(String kernel) {
        return new PlannedLaunch(layer, kernel, config, splits);
    }

    /** Whether this is a split-K launch (more than one split). */
    public boolean splitsK() {
        return splits > 1;
    }

    /** Output tiles of a split-K launch: its blocks over its splits (all its blocks otherwise). */
    public long tiles() {
        return grid().volume() / splits;
    }

    public Dim3 grid() {
        return config.grid();
    }

    public Dim3 block() {
        return config.block();
    }

    /**
     * The launches of one forward pass of {@code network} at {@code batch} on a GPU with
     * {@code computeUnits} SMs (CUs), which decides each convolution's tile shape, with FP32 convolutions.
     */
    public static List<PlannedLaunch> plan(Network network, int batch, int computeUnits) {
        return plan(network, batch, computeUnits, ConvPrecision.FP32);
    }

    /** {@link #plan(Network, int, int)} with the convolutions (and the FC layer) in {@code precision}. */
    public static List<PlannedLaunch> plan(Network network, int batch, int computeUnits, ConvPrecision precision) {
        return plan(network, batch, computeUnits, precision, false);
    }

    /**
     * {@link #plan(Network, int, int, ConvPrecision)}; where {@code splitLoads}, the convolutions whose
     * tile {@linkplain ConvTiling#splitsLoads splits} its kernels by kind of input load launch the
     * kernel of their kind ({@link ConvLoads#of}).
     */
    public static List<PlannedLaunch> plan(Network network, int batch, int computeUnits, ConvPrecision precision,
                                           boolean splitLoads) {
        return plan(network, batch, computeUnits, precision, splitLoads, false);
    }

    /**
     * {@link #plan(Network, int, int, ConvPrecision, boolean)}; where {@code splitK}, the
     * convolutions whose tile has a split-K kernel and too few tiles to fill the GPU launch it
     * ({@link SplitK#splits}).
     */
    public static List<PlannedLaunch> plan(Network network, int batch, int computeUnits, ConvPrecision precision,
                                           boolean splitLoads, boolean splitK) {
        Checks.positive("batch", batch);
        Objects.requireNonNull(precision, "precision");
        List<PlannedLaunch> launches = new ArrayList<>();
        for (Layer layer : network.layers()) {
            launches.add(switch (layer) {
                case Layer.Conv c -> conv(c.name(), c.shape(), batch, computeUnits, precision, splitLoads, splitK);
                case Layer.Linear fc -> conv(fc.name(), fc.asConv(), batch, computeUnits, precision, splitLoads, splitK);
                case Layer.MaxPool p -> new PlannedLaunch(p.name(), ResNetKernels.MAX_POOL,
                        ResNetKernels.maxPoolConfig(p.shape(), batch));
                case Layer.GlobalAvgPool g -> new PlannedLaunch(g.name(), ResNetKernels.GLOBAL_AVG_POOL,
                        ResNetKernels.globalAvgPoolConfig(Math.multiplyExact(batch, g.input().channels())));
            });
        }
        return List.copyOf(launches);
    }

    private static PlannedLaunch conv(String name, ConvShape shape, int batch, int computeUnits, ConvPrecision precision,
                                      boolean splitLoads, boolean splitK) {
        ConvTiling tiling = ConvTiling.choose(shape, batch, computeUnits, precision);
        int splits = splitK ? SplitK.splits(shape, batch, computeUnits, tiling, precision) : 1;
        if (splits > 1) {
            long blocks = tiling.blocks(shape, batch) * splits;
            return new PlannedLaunch(name, tiling.splitKKernelName(),
                    LaunchConfig.of(Dim3.of(Math.toIntExact(blocks)), Dim3.of(ConvTiling.THREADS)), splits);
        }
        String kernel = splitLoads ? tiling.kernelName(precision, ConvLoads.of(shape)) : tiling.kernelName(precision);
        return new PlannedLaunch(name, kernel, tiling.launchConfig(shape, batch));
    }

    @Override
    public String toString() {
        Dim3 g = grid();
        Dim3 b = block();
        return layer + ": " + kernel + " grid (" + g.x() + ", " + g.y() + ", " + g.z() + ") block (" + b.x() + ", "
                + b.y() + ", " + b.z() + ")" + (splitsK() ? " K in " + splits + " splits" : "");
    }
}
