package dev.xsched.examples.scenario;

import dev.xsched.testsupport.ExternalCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docs/device/pytorch_scenario.py, the PyTorch side of the comparison, as far as it runs without a
 * GPU: its options are parsed and checked before torch is imported, and without torch it stops
 * with a clear message and status 2. (It runs for real on the GPU host; docs/tensor-cores.md.)
 */
class PytorchScenarioScriptTest {
    private static final Path SCRIPT = Path.of("..", "docs", "device", "pytorch_scenario.py");

    @BeforeAll
    static void python() throws InterruptedException {
        assertThat(SCRIPT).as("the script, from the examples module's directory").isRegularFile();
        assumeTrue(ExternalCommand.python3Works(), "python3 is not installed here");
    }

    @Test
    void helpNamesEveryModeAndOption() throws InterruptedException {
        ExternalCommand.Result help = run(SCRIPT.toString(), "--help");
        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).contains("resnet18-alone", "resnet50-alone", "both-equal-priority", "both-hp-priority",
                "--duration", "--rate", "--lp-batch", "--conv-precision", "--output");
    }

    @Test
    void badOptionsAreRefusedBeforeTorchIsNeeded() throws InterruptedException {
        ExternalCommand.Result modes = run(SCRIPT.toString(), "--modes", "resnet18-alone,fastest");
        assertThat(modes.exitCode()).isEqualTo(2);
        assertThat(modes.output()).contains("unknown mode(s) ['fastest']");
        ExternalCommand.Result duration = run(SCRIPT.toString(), "--duration", "0");
        assertThat(duration.exitCode()).isEqualTo(2);
        assertThat(duration.output()).contains("--duration", "must be a positive number");
    }

    @Test
    void withoutTorchItSaysWhatIsMissing() throws InterruptedException {
        assumeTrue(run("-c", "import torch").exitCode() != 0, "torch is installed here");
        ExternalCommand.Result r = run(SCRIPT.toString(), "--duration", "1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.output()).contains("needs torch and torchvision");
    }

    private static ExternalCommand.Result run(String... args) throws InterruptedException {
        return ExternalCommand.python3(Duration.ofSeconds(60), args);
    }
}
