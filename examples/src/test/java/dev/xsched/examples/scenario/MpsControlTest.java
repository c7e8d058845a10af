package dev.xsched.examples.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MpsControlTest {
    @Test
    void aControlPipeInTheFolderTheVariableNamesMeansADaemonServesTheProcesses(@TempDir Path dir) throws IOException {
        Files.createFile(dir.resolve("control"));   // the daemon's named pipe; its kind does not matter here
        MpsControl mps = MpsControl.find(Map.of(MpsControl.PIPE_DIRECTORY_VARIABLE, dir.toString()));
        assertThat(mps).isEqualTo(new MpsControl(dir, true));
        assertThat(mps.note()).startsWith("MPS: a control pipe is at " + dir.resolve("control"))
                .contains("share the GPU's SMs").doesNotContain("`");
    }

    @Test
    void withoutItTheNoteSaysTheGpuTimeSlicesAndHowToStartOne(@TempDir Path dir) {
        MpsControl mps = MpsControl.find(Map.of(MpsControl.PIPE_DIRECTORY_VARIABLE, dir.toString()));
        assertThat(mps.running()).isFalse();
        assertThat(mps.note()).startsWith("MPS: no control pipe at " + dir).doesNotContain("`")
                .contains("time-slices", "nvidia-cuda-mps-control -d");
    }

    @Test
    void anUnsetOrBlankVariableMeansTheDaemonsDefaultFolder() {
        assertThat(MpsControl.find(Map.of()).pipeDirectory()).isEqualTo(Path.of("/tmp/nvidia-mps"));
        assertThat(MpsControl.find(Map.of(MpsControl.PIPE_DIRECTORY_VARIABLE, " ")).pipeDirectory())
                .isEqualTo(MpsControl.DEFAULT_PIPE_DIRECTORY);
    }
}
