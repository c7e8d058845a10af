package dev.xsched.examples.resnet;

import java.util.Objects;

/**
 * How many blocks share one output tile's K reduction in the plain TF32 convolutions of small
 * layers (conv_tf32.hip's {@code conv2d_tf32_64x64_splitk}, "split K"). A layer of few tiles
 * leaves most of the GPU idle while each block walks a long reduction alone: ResNet-18 at batch 1
 * ends with 3x3 convolutions of 8 tiles of 64 x 64 and K = 4608 (288 slices of 16) on 8 of the
 * H200's 132 SMs. Split, each tile's blocks take a share of the slices, write partial tiles, and
 * the last of them to finish adds the partials in split order and writes the output (the sum's
 * order is fixed, so the output is the same bit for bit from run to run).
 *
 * <p>Only the plain kernels split: the yieldable twins keep one block per tile, so where a layer
 * splits, {@link ResNet#forwardYieldable} sums its reduction in another order than
 * {@link ResNet#forward} (within TF32's error of each other, not bit for bit), and launches the
 * one-tile twin even with {@linkplain PersistentGrid persistent grids} (whose twins ResNet looks
 * up by the plain kernel's name). The batch model of the scenario never splits: its layers fill
 * the GPU with their own tiles.
 *
 * <p>Measured on the H200 (round 30, 2026-12-04, {@code RunResNet resnet18 1 500 --layers}):
 * ResNet-18's forward pass at batch 1 in 0.385 ms against 1.421 without split K.
 */
public final class SplitK {
    /** K per slice of the TF32 tiles (conv_tf32.hip's TcTile::BK). */
    static final int SLICE = 16;
    /**
     * The fewest slices a split gets, so that its partial tile's write and read (16 KB each) stay
     * small beside its share of the reduction. Chosen, not tuned: round 30 measured only these
     * settings (ResNet-18 b1's 2 to 16 splits of 8 to 18 slices each).
     */
    public static final int MIN_SLICES_PER_SPLIT = 8;
    /**
     * The most splits of one tile: the tile's last block reads every split's partial, so the
     * combine grows with the splits (at 16, 256 KB for one block). Chosen, not tuned.
     */
    public static final int MAX_SPLITS = 16;
    /** Floats of one partial tile (64 x 64). */
    public static final int TILE_FLOATS = 64 * 64;

    private SplitK() {
    }

    /**
     * The splits of {@code shape}'s convolution at {@code batch} on {@code tiling}'s tiles over a
     * GPU of {@code computeUnits} SMs: 1 (no split) unless the tile {@linkplain ConvTiling#splitsK
     * splits} in {@code precision} and its tiles leave SMs idle; else as many as fill the SMs once,
     * at most {@link #MAX_SPLITS}, each with at least {@link #MIN_SLICES_PER_SPLIT} slices and none
     * left empty.
     */
    public static int splits(ConvShape shape, int batch, int computeUnits, ConvTiling tiling, ConvPrecision precision) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(tiling, "tiling");
        Objects.requireNonNull(precision, "precision");
        Checks.positive("computeUnits", computeUnits);
        if (!tiling.splitsK(precision)) {
            return 1;
        }
        long tiles = tiling.blocks(shape, batch);
        int slices = ConvTiling.ceilDiv(shape.reductionSize(), SLICE);
        long bySms = computeUnits / tiles;
        int splits = (int) Math.min(Math.min(bySms, MAX_SPLITS), slices / MIN_SLICES_PER_SPLIT);
        // Chunks of ceil(slices / splits): fewer splits where the last would be empty.
        while (splits > 1 && (long) (splits - 1) * ConvTiling.ceilDiv(slices, splits) >= slices) {
            splits--;
        }
        return Math.max(1, splits);
    }

    /** Floats of the partial tiles a launch of {@code grid} blocks (tiles x splits) writes. */
    public static long partialFloats(long grid) {
        return grid * TILE_FLOATS;
    }
}
