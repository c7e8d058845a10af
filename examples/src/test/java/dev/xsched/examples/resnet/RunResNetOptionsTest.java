package dev.xsched.examples.resnet;

import org.junit.jupiter.api.Test;

import java.util.function.BooleanSupplier;

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
        assertOnByDefaultDefine(ResNetKernels.TF32_CHUNKED_PROPERTY, ResNetKernels::tf32Chunked, "XSCHED_TC_CHUNKED",
                "chunked since the H200 measured both");
    }

    @Test
    void thePersistentTwinsAssignTilesDynamicallyUnlessThePropertySaysStatic() {
        assertOnByDefaultDefine(ResNetKernels.PERSIST_DYNAMIC_PROPERTY, ResNetKernels::persistDynamic,
                "XSCHED_PERSIST_DYNAMIC", "dynamic since the H200 measured both");
    }

    @Test
    void thePersistentTwinsMakeTheirArgumentsOpaqueOnlyBesideTheKernelsThatTakeEveryKindOfLoad() {
        String opaque = ResNetKernels.PERSIST_OPAQUE_PROPERTY;
        String splitLoads = ResNetKernels.SPLIT_LOADS_PROPERTY;
        SystemProperties.restoring(opaque, () -> SystemProperties.restoring(splitLoads, () -> {
            System.clearProperty(opaque);
            System.clearProperty(splitLoads);
            assertThat(ResNetKernels.persistOpaque()).as("the twins by kind of load spill nothing without the copies").isFalse();
            assertThat(ResNetKernels.source()).contains("#define XSCHED_TC_PERSIST_OPAQUE 0\n");
            System.setProperty(splitLoads, "false");
            assertThat(ResNetKernels.persistOpaque()).as("the twins that take every kind spill less with them").isTrue();
            assertThat(ResNetKernels.source()).contains("#define XSCHED_TC_PERSIST_OPAQUE 1\n");
            System.setProperty(opaque, "false");
            assertThat(ResNetKernels.persistOpaque()).as("the property wins").isFalse();
            System.clearProperty(splitLoads);
            System.setProperty(opaque, "true");
            assertThat(ResNetKernels.persistOpaque()).isTrue();
            System.setProperty(opaque, "yes");
            assertThatThrownBy(ResNetKernels::persistOpaque).hasMessageContaining("true or false, got 'yes'");
        }));
    }

    /**
     * A property that {@link ResNetKernels#source()} turns into a define: {@code reader} is true
     * while it is unset ({@code why}) and false once it says so, the source defines {@code define}
     * as 1 or 0 accordingly, ahead of the kernels' own default, and any other value is refused
     * with the reason.
     */
    private static void assertOnByDefaultDefine(String property, BooleanSupplier reader, String define, String why) {
        SystemProperties.restoring(property, () -> {
            System.clearProperty(property);
            assertThat(reader.getAsBoolean()).as(why).isTrue();
            assertThat(ResNetKernels.source()).contains("#define " + define + " 1\n");
            System.setProperty(property, "false");
            assertThat(reader.getAsBoolean()).isFalse();
            String source = ResNetKernels.source();
            assertThat(source).contains("#define " + define + " 0\n");
            assertThat(source.indexOf("#define " + define)).as("before the kernels' own default")
                    .isLessThan(source.indexOf("#ifndef " + define));
            System.setProperty(property, "yes");
            assertThatThrownBy(reader::getAsBoolean).hasMessageContaining("true or false, got 'yes'");
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
