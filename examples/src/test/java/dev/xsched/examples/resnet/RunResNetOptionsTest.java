package dev.xsched.examples.resnet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunResNetOptionsTest {
    @Test
    void defaultsLeaveThePrecisionToTheDevice() {
        var o = RunResNet.Options.parse();
        assertThat(o).isEqualTo(new RunResNet.Options(ResNetArchitecture.RESNET50, 64, 20, null, false));
    }

    @Test
    void optionsMayStandAnywhereAmongThePositionalArguments() {
        var o = RunResNet.Options.parse("resnet18", "--precision", "fp32", "1", "200", "--layers");
        assertThat(o).isEqualTo(new RunResNet.Options(ResNetArchitecture.RESNET18, 1, 200, ConvPrecision.FP32, true));
    }

    @Test
    void theYieldComparisonAndTheCheckIntervalAreOptions() {
        var o = RunResNet.Options.parse("resnet50", "1024", "10", "--compare-yield", "--yield-every", "64");
        assertThat(o).isEqualTo(new RunResNet.Options(ResNetArchitecture.RESNET50, 1024, 10, null, false, true, 64));
        assertThat(RunResNet.Options.parse().yieldEvery()).as("0: the kernels' default").isZero();
    }

    @Test
    void aCheckIntervalBelowTwoOrNotANumberIsRefused() {
        assertThatThrownBy(() -> RunResNet.Options.parse("--yield-every")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> RunResNet.Options.parse("--yield-every", "1")).hasMessageContaining("from 2 to 65536");
        assertThatThrownBy(() -> RunResNet.Options.parse("--yield-every", "often")).hasMessageContaining("'often'");
    }

    @Test
    void theSourceDefinesTheCheckIntervalBeforeTheTensorCoreKernels() {
        String source = ResNetKernels.source();
        assertThat(source).contains("#define XSCHED_TC_YIELD_EVERY " + ResNetKernels.tf32YieldEvery() + "\n");
        assertThat(source.indexOf("#define XSCHED_TC_YIELD_EVERY")).isLessThan(source.indexOf("conv2d_tf32_128x128"));
    }

    @Test
    void theFlagReadsLeadDefaultsToOneSliceAndIsBoundedByTheCheckInterval() {
        SystemProperties.restoring(ResNetKernels.TF32_FLAG_LEAD_PROPERTY, () -> {
            System.clearProperty(ResNetKernels.TF32_FLAG_LEAD_PROPERTY);
            assertThat(ResNetKernels.tf32FlagLead(16)).isEqualTo(ResNetKernels.DEFAULT_TF32_FLAG_LEAD);
            assertThat(ResNetKernels.source()).contains("#define XSCHED_TC_FLAG_LEAD " + ResNetKernels.DEFAULT_TF32_FLAG_LEAD + "\n");
            System.setProperty(ResNetKernels.TF32_FLAG_LEAD_PROPERTY, "8");
            assertThat(ResNetKernels.tf32FlagLead(16)).isEqualTo(8);
            assertThatThrownBy(() -> ResNetKernels.tf32FlagLead(8)).hasMessageContaining("from 1 to 7");
            System.setProperty(ResNetKernels.TF32_FLAG_LEAD_PROPERTY, "0");
            assertThatThrownBy(() -> ResNetKernels.tf32FlagLead(16)).hasMessageContaining("got 0");
            System.setProperty(ResNetKernels.TF32_FLAG_LEAD_PROPERTY, "soon");
            assertThatThrownBy(() -> ResNetKernels.tf32FlagLead(16)).hasMessageContaining("'soon'");
        });
    }

    @Test
    void theChunkedLoopIsOnUnlessThePropertySaysFalse() {
        SystemProperties.restoring(ResNetKernels.TF32_CHUNKED_PROPERTY, () -> {
            System.clearProperty(ResNetKernels.TF32_CHUNKED_PROPERTY);
            assertThat(ResNetKernels.tf32Chunked()).isTrue();
            assertThat(ResNetKernels.source()).contains("#define XSCHED_TC_CHUNKED 1\n");
            System.setProperty(ResNetKernels.TF32_CHUNKED_PROPERTY, "false");
            assertThat(ResNetKernels.tf32Chunked()).isFalse();
            assertThat(ResNetKernels.source()).contains("#define XSCHED_TC_CHUNKED 0\n");
            System.setProperty(ResNetKernels.TF32_CHUNKED_PROPERTY, "yes");
            assertThatThrownBy(ResNetKernels::tf32Chunked).hasMessageContaining("true or false, got 'yes'");
        });
    }

    @Test
    void thePersistentTwinsAssignTilesDynamicallyUnlessThePropertySaysStatic() {
        SystemProperties.restoring(ResNetKernels.PERSIST_DYNAMIC_PROPERTY, () -> {
            System.clearProperty(ResNetKernels.PERSIST_DYNAMIC_PROPERTY);
            assertThat(ResNetKernels.persistDynamic()).as("dynamic since the H200 measured both").isTrue();
            assertThat(ResNetKernels.source()).contains("#define XSCHED_PERSIST_DYNAMIC 1\n");
            System.setProperty(ResNetKernels.PERSIST_DYNAMIC_PROPERTY, "false");
            assertThat(ResNetKernels.persistDynamic()).isFalse();
            String source = ResNetKernels.source();
            assertThat(source).contains("#define XSCHED_PERSIST_DYNAMIC 0\n");
            assertThat(source.indexOf("#define XSCHED_PERSIST_DYNAMIC")).as("before the kernels' own default")
                    .isLessThan(source.indexOf("#ifndef XSCHED_PERSIST_DYNAMIC"));
            System.setProperty(ResNetKernels.PERSIST_DYNAMIC_PROPERTY, "yes");
            assertThatThrownBy(ResNetKernels::persistDynamic).hasMessageContaining("true or false, got 'yes'");
        });
    }

    @Test
    void thePersistentTwinsMakeTheirArgumentsOpaqueUnlessThePropertySaysNot() {
        SystemProperties.restoring(ResNetKernels.PERSIST_OPAQUE_PROPERTY, () -> {
            System.clearProperty(ResNetKernels.PERSIST_OPAQUE_PROPERTY);
            assertThat(ResNetKernels.persistOpaque()).isTrue();
            assertThat(ResNetKernels.source()).contains("#define XSCHED_TC_PERSIST_OPAQUE 1\n");
            System.setProperty(ResNetKernels.PERSIST_OPAQUE_PROPERTY, "false");
            String source = ResNetKernels.source();
            assertThat(source).contains("#define XSCHED_TC_PERSIST_OPAQUE 0\n");
            assertThat(source.indexOf("#define XSCHED_TC_PERSIST_OPAQUE")).as("before the kernels' own default")
                    .isLessThan(source.indexOf("#ifndef XSCHED_TC_PERSIST_OPAQUE"));
            System.setProperty(ResNetKernels.PERSIST_OPAQUE_PROPERTY, "no");
            assertThatThrownBy(ResNetKernels::persistOpaque).hasMessageContaining("true or false, got 'no'");
        });
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        assertThatThrownBy(() -> RunResNet.Options.parse("--precision")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> RunResNet.Options.parse("--precision", "bf16")).hasMessageContaining("bf16");
        assertThatThrownBy(() -> RunResNet.Options.parse("--fast")).hasMessageContaining("unknown option --fast");
        assertThatThrownBy(() -> RunResNet.Options.parse("resnet50", "0")).hasMessageContaining("batch");
        assertThatThrownBy(() -> RunResNet.Options.parse("resnet50", "8", "1", "2")).hasMessageContaining("too many");
    }
}
