package dev.xsched.testsupport;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExternalCommandTest {
    @Test
    void givesTheExitCodeAndTheOutputOfBothStreams() throws Exception {
        ExternalCommand.Result r = ExternalCommand.run(List.of("bash", "-c", "echo out; echo err >&2; exit 3"), null,
                Duration.ofSeconds(30));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.output()).contains("out\n").contains("err\n");
    }

    @Test
    void aProgramThatHangsWithItsOutputOpenIsKilledAtTheLimit() {
        assertThatThrownBy(() -> ExternalCommand.run(List.of("bash", "-c", "echo started; exec sleep 600"), null,
                Duration.ofMillis(500)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("did not finish").hasMessageContaining("started");
    }
}
