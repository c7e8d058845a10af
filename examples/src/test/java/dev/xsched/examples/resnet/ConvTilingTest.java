package dev.xsched.examples.resnet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

class ConvTilingTest {
    @Test
    void theGridCoversEveryOutputOnce() {
        qt().forAll(integers().between(1, 300), integers().between(1, 40), integers().between(1, 8))
                .checkAssert((cout, size, batch) -> {
                    var shape = new ConvShape(3, cout, size, size, 1, 1, 0);
                    for (ConvTiling t : ConvTiling.values()) {
                        var grid = t.grid(shape, batch);
                        long pixels = (long) batch * size * size;
                        int pixelTiles = t.pixelTiles(shape, batch);
                        int channelTiles = t.channelTiles(shape);
                        assertThat((long) pixelTiles * t.tilePixels()).isBetween(pixels, pixels + t.tilePixels() - 1);
                        assertThat(channelTiles * t.tileChannels()).isBetween(cout, cout + t.tileChannels() - 1);
                        assertThat(grid.x()).isEqualTo(pixelTiles * channelTiles);
                        assertThat(grid.y()).isEqualTo(1);
                        assertThat(grid.z()).isEqualTo(1);
                    }
                });
    }

    @Test
    void theLargeTileIsChosenOnlyWhenItFillsEverySm() {
        var layer4 = new ConvShape(512, 512, 7, 7, 3, 1, 1);
        assertThat(ConvTiling.choose(layer4, 1, 132)).isEqualTo(ConvTiling.SMALL);
        assertThat(ConvTiling.choose(layer4, 64, 132)).isEqualTo(ConvTiling.SMALL);     // 25 x 4 large blocks
        assertThat(ConvTiling.LARGE.blocks(layer4, 64)).isEqualTo(25 * 4);
        assertThat(ConvTiling.choose(layer4, 64, 100)).isEqualTo(ConvTiling.LARGE);
        assertThat(ConvTiling.choose(layer4, 64, 101)).isEqualTo(ConvTiling.SMALL);
    }

    @Test
    void pixelCountsBeyondTheKernelsIntIndexAreRejected() {
        var stem = new ConvShape(3, 64, 224, 224, 7, 2, 3);
        assertThatThrownBy(() -> ConvTiling.LARGE.grid(stem, 200_000))
                .hasMessageContaining("exceed the kernel's 32-bit pixel index");
        assertThatThrownBy(() -> ConvTiling.LARGE.grid(stem, 0)).hasMessage("batch must be > 0, got 0");
    }

    @Test
    void tf32LayersOfAtMost64ChannelsTakeTheNarrowTileWhenItFillsTheGpu() {
        var layer1 = new ConvShape(64, 64, 56, 56, 3, 1, 1);
        var layer2 = new ConvShape(128, 128, 28, 28, 3, 1, 1);
        assertThat(ConvTiling.choose(layer1, 1024, 132, ConvPrecision.TF32)).isEqualTo(ConvTiling.NARROW);
        assertThat(ConvTiling.choose(layer1, 1024, 132, ConvPrecision.FP32)).isEqualTo(ConvTiling.LARGE);
        assertThat(ConvTiling.choose(layer2, 1024, 132, ConvPrecision.TF32)).isEqualTo(ConvTiling.LARGE);
        assertThat(ConvTiling.choose(layer1, 1, 132, ConvPrecision.TF32)).isEqualTo(ConvTiling.SMALL); // 25 narrow blocks
        assertThat(ConvTiling.NARROW.kernelName(ConvPrecision.TF32)).isEqualTo("conv2d_tf32_64x128");
        assertThat(ConvTiling.NARROW.supports(ConvPrecision.FP32)).isFalse();
        assertThatThrownBy(() -> ConvTiling.NARROW.kernelName(ConvPrecision.FP32)).hasMessageContaining("no fp32 kernel");
    }
}
