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
    void badInputIsRefusedWithTheReason() {
        assertThatThrownBy(() -> RunResNet.Options.parse("--precision")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> RunResNet.Options.parse("--precision", "bf16")).hasMessageContaining("bf16");
        assertThatThrownBy(() -> RunResNet.Options.parse("--fast")).hasMessageContaining("unknown option --fast");
        assertThatThrownBy(() -> RunResNet.Options.parse("resnet50", "0")).hasMessageContaining("batch");
        assertThatThrownBy(() -> RunResNet.Options.parse("resnet50", "8", "1", "2")).hasMessageContaining("too many");
    }
}
