package dev.xsched.examples.resnet;

import dev.xsched.hip.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ConvPrecisionTest {
    @Test
    void tf32IsTheDefaultOnNvidiaSm80AndNewerOnly() {
        assertThat(ConvPrecision.defaultFor("sm_80")).isEqualTo(ConvPrecision.TF32);
        assertThat(ConvPrecision.defaultFor("sm_90")).isEqualTo(ConvPrecision.TF32);
        assertThat(ConvPrecision.defaultFor("sm_90a")).isEqualTo(ConvPrecision.TF32);
        assertThat(ConvPrecision.defaultFor("sm_100")).isEqualTo(ConvPrecision.TF32);
        assertThat(ConvPrecision.defaultFor("sm_75")).isEqualTo(ConvPrecision.FP32);
        assertThat(ConvPrecision.defaultFor("gfx90a")).isEqualTo(ConvPrecision.FP32);
        assertThat(ConvPrecision.defaultFor("gfx942")).isEqualTo(ConvPrecision.FP32);
        assertThat(ConvPrecision.FP32.supportedOn("gfx942")).isTrue();
    }

    @Test
    void theSimulatedArchitectureHasBothPrecisionsItsCompilerFindsEveryKernelButTheMatrixCores() {
        assertThat(ConvPrecision.TF32.supportedOn(SimulatedPlatform.ARCHITECTURE)).isTrue();
        assertThat(ConvPrecision.FP32.supportedOn(SimulatedPlatform.ARCHITECTURE)).isTrue();
        assertThat(ResNetKernels.signaturesFor(SimulatedPlatform.ARCHITECTURE)).isEqualTo(ResNetKernels.SIGNATURES.entrySet()
                .stream().filter(e -> !e.getKey().startsWith("conv2d_mfma_"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    @Test
    void aTraceOfTheMatrixCoreKernelsIsRefusedWithTheWayToRecordOneTheSimulatorCanReplay() {
        assertThatThrownBy(() -> ConvPrecision.recordedIn(List.of("conv2d_mfma_128x128", "max_pool2d")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("conv2d_mfma_128x128")
                .hasMessageContaining(MatrixCores.PROPERTY + "=false");
    }

    @Test
    void aTracesPrecisionIsTheOneWhoseConvolutionKernelsItNames() {
        assertThat(ConvPrecision.recordedIn(List.of("conv2d_igemm_128x128", "max_pool2d"))).hasValue(ConvPrecision.FP32);
        assertThat(ConvPrecision.recordedIn(Set.of("conv2d_tf32_64x128", "global_avg_pool"))).hasValue(ConvPrecision.TF32);
        assertThat(ConvPrecision.recordedIn(Set.of("conv2d_tf32_64x64_yield"))).hasValue(ConvPrecision.TF32);
        assertThat(ConvPrecision.recordedIn(Set.of("max_pool2d", "gemm"))).isEmpty();
        assertThatThrownBy(() -> ConvPrecision.recordedIn(List.of("conv2d_igemm_64x64", "conv2d_tf32_64x64")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both precisions")
                .hasMessageContaining("[conv2d_igemm_64x64, conv2d_tf32_64x64]");
    }

    @Test
    void parsesTheOptionSpellingsAndRefusesOthers() {
        assertThat(ConvPrecision.parse("tf32")).isEqualTo(ConvPrecision.TF32);
        assertThat(ConvPrecision.parse(" FP32 ")).isEqualTo(ConvPrecision.FP32);
        assertThatThrownBy(() -> ConvPrecision.parse("fp16")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tf32 or fp32").hasMessageContaining("fp16");
    }

    @Test
    void tf32OnADeviceWithoutTensorCoresIsRefusedWithTheReason() {
        assertThatThrownBy(() -> ConvPrecision.TF32.requireSupportedOn("gfx90a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gfx90a").hasMessageContaining("fp32");
        assertThat(ConvPrecision.FP32.requireSupportedOn("gfx90a")).isEqualTo(ConvPrecision.FP32);
    }

    @Test
    void theErrorBoundIsTwoOperandRoundingsPlusTheFp32SumOfKTerms() {
        // K = 1: 2^-10 + 2^-22 (the operands) + 2^-23 (one addition, gamma_1) + 2^-22 (bias, residual)
        assertThat(ConvPrecision.errorBound(1)).isCloseTo(0x1p-10 + 0x1p-22 + 0x1p-23 / (1 - 0x1p-23) + 0x1p-22, within(1e-15));
        // ResNet-50's longest reduction, 3x3 x 512 channels: about 1.53e-3
        assertThat(ConvPrecision.errorBound(4608)).isCloseTo(1.526e-3, within(1e-6));
        assertThat(ConvPrecision.errorBound(4608)).isGreaterThan(ConvPrecision.errorBound(147));
        assertThatThrownBy(() -> ConvPrecision.errorBound(1 << 23)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConvPrecision.errorBound(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
