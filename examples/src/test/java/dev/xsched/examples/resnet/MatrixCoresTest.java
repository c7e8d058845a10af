package dev.xsched.examples.resnet;

import dev.xsched.hip.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which FP32 kernels the matrix cores take over, and when. Their arithmetic is checked by
 * {@link KernelEmulationTest}, their instructions by {@link ResNetKernelsCompileTest}.
 */
class MatrixCoresTest {
    /** What ResNet.build launches on a gfx90a (MI200, 110 CUs) in FP32. */
    @Test
    void onGfx90aEveryFp32ConvolutionMovesToItsMatrixCoreKernelAndNothingElseChanges() {
        for (ResNetArchitecture architecture : ResNetArchitecture.values()) {
            for (int batch : new int[] {1, 1024}) {
                List<PlannedLaunch> fp32 = PlannedLaunch.plan(architecture.network(), batch, 110, ConvPrecision.FP32);
                List<PlannedLaunch> mfma = MatrixCores.planFor(fp32, ConvPrecision.FP32, "gfx90a:sramecc+:xnack-");
                assertThat(mfma).hasSameSizeAs(fp32);
                for (int i = 0; i < fp32.size(); i++) {
                    PlannedLaunch before = fp32.get(i);
                    PlannedLaunch after = mfma.get(i);
                    assertThat(after.layer()).isEqualTo(before.layer());
                    assertThat(after.config()).isEqualTo(before.config());
                    String expected = before.kernel().startsWith("conv2d_igemm_")
                            ? before.kernel().replace("conv2d_igemm_", "conv2d_mfma_") : before.kernel();
                    assertThat(after.kernel()).as(before.toString()).isEqualTo(expected);
                    assertThat(ResNetKernels.signaturesFor("gfx90a")).containsKey(after.kernel())
                            .containsKey(after.kernel().startsWith("conv2d_mfma_") ? after.kernel() + "_yield" : after.kernel());
                }
                assertThat(mfma).as("at batch " + batch).anyMatch(step -> MatrixCores.isKernel(step.kernel()));
            }
        }
    }

    @Test
    void elsewhereInTf32OrTurnedOffThePlanStaysAsItIs() {
        List<PlannedLaunch> fp32 = PlannedLaunch.plan(ResNetArchitecture.RESNET50.network(), 64, 110, ConvPrecision.FP32);
        assertThat(MatrixCores.planFor(fp32, ConvPrecision.FP32, "gfx942")).isSameAs(fp32);
        assertThat(MatrixCores.planFor(fp32, ConvPrecision.FP32, "sm_90")).isSameAs(fp32);
        assertThat(MatrixCores.planFor(fp32, ConvPrecision.FP32, SimulatedPlatform.ARCHITECTURE)).isSameAs(fp32);
        List<PlannedLaunch> tf32 = PlannedLaunch.plan(ResNetArchitecture.RESNET50.network(), 64, 132, ConvPrecision.TF32);
        assertThat(MatrixCores.planFor(tf32, ConvPrecision.TF32, "gfx90a")).isSameAs(tf32);
        SystemProperties.restoring(MatrixCores.PROPERTY, () -> {
            System.setProperty(MatrixCores.PROPERTY, "false");
            assertThat(MatrixCores.planFor(fp32, ConvPrecision.FP32, "gfx90a")).isSameAs(fp32);
        });
    }

    @Test
    void theDescriptionSaysWhereTheyRun() {
        assertThat(MatrixCores.describe(ConvPrecision.FP32, true)).isEqualTo("fp32 on the matrix cores (MFMA)");
        assertThat(MatrixCores.describe(ConvPrecision.FP32, false)).isEqualTo("fp32");
        assertThat(MatrixCores.isKernel(ConvTiling.SMALL.matrixCoreKernelName() + "_yield")).isTrue();
        assertThat(MatrixCores.isKernel(ConvTiling.SMALL.kernelName())).isFalse();
    }

    @Test
    void onlyTheFp32TilesHaveMatrixCoreKernels() {
        assertThat(ConvTiling.LARGE.matrixCoreKernelName()).isEqualTo("conv2d_mfma_128x128");
        assertThat(ConvTiling.SMALL.matrixCoreKernelName()).isEqualTo("conv2d_mfma_64x64");
        assertThatThrownBy(ConvTiling.NARROW::matrixCoreKernelName).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("NARROW");
        assertThat(ConvTiling.matrixCoreTwinOf("conv2d_tf32_128x128")).isEmpty();
        assertThat(ConvTiling.matrixCoreTwinOf(ResNetKernels.MAX_POOL)).isEmpty();
    }

    /** A malformed value is refused on every device, not only where the matrix cores exist. */
    @Test
    void thePropertyTurnsThemOffAndAMalformedValueIsRefused() {
        assertThat(SystemProperties.restoring(MatrixCores.PROPERTY, MatrixCores::enabled)).as("unset").isTrue();
        SystemProperties.restoring(MatrixCores.PROPERTY, () -> {
            System.setProperty(MatrixCores.PROPERTY, "false");
            assertThat(MatrixCores.enabled()).isFalse();
            System.setProperty(MatrixCores.PROPERTY, "yes");
            assertThatThrownBy(MatrixCores::enabled).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(MatrixCores.PROPERTY);
            assertThatThrownBy(() -> MatrixCores.planFor(List.of(), ConvPrecision.FP32, "sm_90"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(MatrixCores.PROPERTY);
        });
    }

    /** The simulated device is neither gfx908 nor gfx90a: its models keep the kernels its traces recorded. */
    @Test
    void theSimulatedDeviceDoesNotUseThem() {
        try (SimulatedPlatform platform = SimulatedPlatform.builder().build()) {
            assertThat(MatrixCores.usedOn(platform.device(0))).isFalse();
            assertThat(MatrixCores.describe(ConvPrecision.FP32, platform.device(0))).isEqualTo("fp32");
        }
    }
}
