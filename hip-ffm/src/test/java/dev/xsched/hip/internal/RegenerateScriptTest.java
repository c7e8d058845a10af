package dev.xsched.hip.internal;

import dev.xsched.testsupport.ExternalCommand;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code jextract/regenerate.sh}, the documented way to regenerate and check the bindings. No
 * package registry ships a jextract, so its real work ({@code --check} against the committed
 * sources) runs only where {@code $JEXTRACT} names one (jextract/README.md says how to build it);
 * everywhere else the script must still parse, answer {@code --help}, and say where to get a
 * jextract instead of failing obscurely.
 */
class RegenerateScriptTest {
    private static final Path SCRIPT = Path.of("..", "jextract", "regenerate.sh");

    @Test
    void theScriptParsesAndPrintsItsUsage() throws Exception {
        assertThat(run(List.of("bash", "-n", SCRIPT.toString())).exitCode()).isZero();
        ExternalCommand.Result help = run(List.of("bash", SCRIPT.toString(), "--help"));
        assertThat(help.exitCode()).isZero();
        assertThat(help.output()).contains("jextract/regenerate.sh [--check] [TARGET...]");
    }

    @Test
    void withoutAJextractItSaysWhereToGetOne() throws Exception {
        assumeTrue(run(List.of("env", "-i", "PATH=/usr/bin:/bin", "bash", "-c", "command -v jextract")).exitCode() != 0,
                "a jextract is on /usr/bin or /bin here");
        ExternalCommand.Result r = run(List.of("env", "-i", "PATH=/usr/bin:/bin", "bash", SCRIPT.toString(), "--check"));
        assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
        assertThat(r.output()).contains("jextract was not found").contains("https://jdk.java.net/jextract/");
    }

    @Test
    void anUnknownOptionIsRefused() throws Exception {
        ExternalCommand.Result r = run(List.of("bash", SCRIPT.toString(), "--chek"));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.output()).contains("unknown option: --chek");
    }

    /** The check itself, where a jextract is at hand: the committed bindings are what it generates. */
    @Test
    void theCommittedHipAndComgrBindingsAreWhatJextractGenerates() throws Exception {
        String jextract = System.getenv("JEXTRACT");
        assumeTrue(jextract != null && Files.isExecutable(Path.of(jextract)),
                "no jextract here ($JEXTRACT unset): jextract/README.md says how to build one");
        ExternalCommand.Result r = run(List.of("bash", SCRIPT.toString(), "--check", "hip", "comgr"));
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    private static ExternalCommand.Result run(List<String> command) throws IOException, InterruptedException {
        return ExternalCommand.run(command, null, Duration.ofMinutes(5));
    }
}
