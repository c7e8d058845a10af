package dev.xsched.examples.resnet;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Shape bookkeeping against torchvision's published numbers: parameter counts 11,689,512
 * (resnet18) and 25,557,032 (resnet50), and the "GFLOPS" column of its model table, 1.81 and
 * 4.09, which counts multiply-accumulates (one MAC = one "FLOP" there; this engine reports two
 * FLOPs per MAC). The exact MAC counts were worked out independently of this code, layer by
 * layer from the torchvision definitions, with a short script.
 */
class ResNetArchitectureTest {
    private final Network resnet18 = ResNetArchitecture.RESNET18.network();
    private final Network resnet50 = ResNetArchitecture.RESNET50.network();

    @Test
    void resnet18Has20ConvolutionsAndOneFullyConnectedLayer() {
        // stem + 8 basic blocks x 2 + 3 downsamples (layer2..4)
        assertThat(resnet18.convolutions()).hasSize(20);
        assertThat(resnet18.linearLayers()).hasSize(1);
        assertThat(resnet18.convolutions().stream().filter(c -> c.name().contains("downsample")).count()).isEqualTo(3);
    }

    @Test
    void resnet50Has53ConvolutionsAndOneFullyConnectedLayer() {
        // stem + 16 bottlenecks x 3 + 4 downsamples (layer1 widens 64 -> 256, layer2..4 also stride)
        assertThat(resnet50.convolutions()).hasSize(53);
        assertThat(resnet50.linearLayers()).hasSize(1);
        assertThat(resnet50.convolutions().stream().filter(c -> c.name().contains("downsample")).count()).isEqualTo(4);
    }

    @Test
    void parameterCountsMatchTorchvision() {
        assertThat(resnet18.torchvisionParameterCount()).isEqualTo(11_689_512L);
        assertThat(resnet50.torchvisionParameterCount()).isEqualTo(25_557_032L);
        // Folding stores one bias per batch-norm channel instead of gamma and beta:
        // 4,800 batch-norm channels in resnet18, 26,560 in resnet50.
        assertThat(resnet18.foldedParameterCount()).isEqualTo(11_689_512L - 4_800);
        assertThat(resnet50.foldedParameterCount()).isEqualTo(25_557_032L - 26_560);
    }

    @Test
    void multiplyAccumulatesMatchTorchvisionsGflopsColumn() {
        assertThat(resnet18.convMacsPerImage()).isEqualTo(1_813_561_344L);
        assertThat(resnet18.macsPerImage()).isEqualTo(1_814_073_344L);     // torchvision: 1.81
        assertThat(resnet50.convMacsPerImage()).isEqualTo(4_087_136_256L);
        assertThat(resnet50.macsPerImage()).isEqualTo(4_089_184_256L);     // torchvision: 4.09
    }

    @Test
    void layersFollowTorchvisionsNamesAndShapes() {
        Layer.Conv stem = resnet50.convolutions().getFirst();
        assertThat(stem.name()).isEqualTo("conv1");
        assertThat(stem.shape()).isEqualTo(new ConvShape(3, 64, 224, 224, 7, 2, 3));
        assertThat(stem.output()).extracting(Tensor::height, Tensor::width).containsExactly(112, 112);
        assertThat(resnet50.layers().get(1)).isInstanceOfSatisfying(Layer.MaxPool.class,
                p -> assertThat(p.output()).extracting(Tensor::channels, Tensor::height).containsExactly(64, 56));
        // v1.5: the stride of layer2.0 sits on its 3x3 convolution, not on the first 1x1.
        assertThat(conv(resnet50, "layer2.0.conv1").shape().stride()).isEqualTo(1);
        assertThat(conv(resnet50, "layer2.0.conv2").shape()).isEqualTo(new ConvShape(128, 128, 56, 56, 3, 2, 1));
        assertThat(conv(resnet50, "layer2.0.downsample.0").shape()).isEqualTo(new ConvShape(256, 512, 56, 56, 1, 2, 0));
        assertThat(conv(resnet50, "layer4.2.conv3").output()).extracting(Tensor::channels, Tensor::height)
                .containsExactly(2048, 7);
        assertThat(conv(resnet50, "layer4.2.conv3").residual()).isPresent();
        assertThat(conv(resnet50, "layer4.2.conv3").relu()).isTrue();
        assertThat(conv(resnet50, "layer4.0.downsample.0").relu()).isFalse();
        assertThat(conv(resnet18, "layer3.1.conv2").shape()).isEqualTo(new ConvShape(256, 256, 14, 14, 3, 1, 1));
        assertThat(resnet18.output()).extracting(Tensor::channels, Tensor::height, Tensor::width).containsExactly(1000, 1, 1);
        assertThat(resnet50.linearLayers().getFirst().inFeatures()).isEqualTo(2048);
    }

    @Test
    void everyBlockAddsItsShortcutExactlyOnce() {
        long residualConvs = resnet50.convolutions().stream().filter(c -> c.residual().isPresent()).count();
        assertThat(residualConvs).isEqualTo(16);
        assertThat(resnet18.convolutions().stream().filter(c -> c.residual().isPresent()).count()).isEqualTo(8);
    }

    @Test
    void launchPlansHaveOneLaunchPerLayer() {
        // convolutions + max pool + average pool + fully connected
        assertThat(PlannedLaunch.plan(resnet18, 1, 132)).hasSize(23);
        assertThat(PlannedLaunch.plan(resnet50, 1024, 132)).hasSize(56);
    }

    @Test
    void atBatch1024EveryResNet50ConvolutionUsesTheLargeTile() {
        List<PlannedLaunch> plan = PlannedLaunch.plan(resnet50, 1024, 132);
        assertThat(plan.stream().filter(p -> p.kernel().startsWith("conv2d") && !p.layer().equals("fc")))
                .hasSize(53)
                .allSatisfy(p -> assertThat(p.kernel()).isEqualTo(ConvTiling.LARGE.kernelName()));
        // The classifier, 1000 x 1024 outputs, makes only 8 x 8 large tiles: it takes the small ones.
        assertThat(plan.getLast().kernel()).isEqualTo(ConvTiling.SMALL.kernelName());
        assertThat(plan.getLast().grid()).extracting(g -> g.x(), g -> g.y()).containsExactly(16 * 16, 1);
        PlannedLaunch stem = plan.getFirst();
        assertThat(stem.grid()).extracting(g -> g.x(), g -> g.y(), g -> g.z()).containsExactly(1024 * 112 * 112 / 128, 1, 1);
        assertThat(stem.block().x()).isEqualTo(256);
        PlannedLaunch pool = plan.get(1);
        assertThat(pool.kernel()).isEqualTo(ResNetKernels.MAX_POOL);
        assertThat(pool.grid().x()).isEqualTo(1024 * 64 * 56 * 56 / 256);
    }

    @Test
    void atBatch1TheLate49PixelLayersUseTheSmallTile() {
        List<PlannedLaunch> plan = PlannedLaunch.plan(resnet18, 1, 132);
        PlannedLaunch last = plan.stream().filter(p -> p.layer().equals("layer4.1.conv2")).findFirst().orElseThrow();
        assertThat(last.kernel()).isEqualTo(ConvTiling.SMALL.kernelName());
        assertThat(last.grid()).extracting(g -> g.x(), g -> g.y()).containsExactly(512 / 64, 1);
    }

    @Test
    void modelNamesParse() {
        assertThat(ResNetArchitecture.parse("resnet50")).isEqualTo(ResNetArchitecture.RESNET50);
        assertThat(ResNetArchitecture.parse("ResNet-18")).isEqualTo(ResNetArchitecture.RESNET18);
        assertThat(ResNetArchitecture.parse("101")).isEqualTo(ResNetArchitecture.RESNET101);
        assertThatThrownBy(() -> ResNetArchitecture.parse("vgg16")).hasMessageContaining("unknown model 'vgg16'");
    }

    @Test
    void deviceMemoryEstimateCountsWeightsInputLogitsAndThreeSlots() {
        long perImageFloats = 3 * 224 * 224 + 1000 + 3L * 64 * 112 * 112;
        long bytes = ResNet.deviceBytes(resnet50, 1024);
        long weightBytes = resnet50.foldedParameterCount() * 4;
        assertThat(bytes - 1024 * perImageFloats * 4).isBetween(weightBytes, weightBytes + 256L * 2 * 54);
    }

    static Layer.Conv conv(Network network, String name) {
        return network.convolutions().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
