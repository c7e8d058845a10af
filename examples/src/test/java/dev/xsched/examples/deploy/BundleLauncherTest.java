package dev.xsched.examples.deploy;

import dev.xsched.examples.ExternalCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundle's launcher ({@code src/bundle/bin/xsched}) builds the command line it promises: the
 * demo's JVM compiles early, before {@code XSCHED_JAVA_OPTS} so that a user's own value wins, and
 * no other command gets that option. Run against a stand-in for the bundle's runtime whose
 * {@code java} prints its arguments, one a line.
 */
class BundleLauncherTest {
    private static final String EARLY_JIT = "-XX:CompileThresholdScaling=0.05";

    @TempDir
    Path bundle;

    @Test
    void theDemoCompilesEarlyUnlessTheUsersOptionsSayOtherwiseAndNoOtherCommandDoes() throws Exception {
        Path launcher = Files.createDirectories(bundle.resolve("bin")).resolve("xsched");
        Files.copy(Path.of("src/bundle/bin/xsched"), launcher);
        executable(launcher);
        Path java = Files.createDirectories(bundle.resolve("runtime/bin")).resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
        executable(java);

        List<String> demo = arguments("-XX:CompileThresholdScaling=1 -Dxsched.example=yes", "demo", "--duration", "1");
        assertThat(demo).contains(EARLY_JIT, "-XX:CompileThresholdScaling=1", "-Dxsched.example=yes")
                .endsWith("dev.xsched.examples/dev.xsched.examples.cli.XschedCommand", "demo", "--duration", "1");
        assertThat(demo.indexOf(EARLY_JIT)).as("the user's value comes later and wins")
                .isLessThan(demo.indexOf("-XX:CompileThresholdScaling=1"));

        assertThat(arguments("", "info")).as("only the demo").doesNotContain(EARLY_JIT).endsWith("info");
        assertThat(arguments("", "bench", "decision")).doesNotContain(EARLY_JIT);
    }

    /** What the launcher passed to java, with {@code javaOptions} as XSCHED_JAVA_OPTS. */
    private List<String> arguments(String javaOptions, String... command) throws IOException, InterruptedException {
        List<String> line = new java.util.ArrayList<>(List.of("env", "XSCHED_JAVA_OPTS=" + javaOptions, "bash",
                bundle.resolve("bin/xsched").toString()));
        line.addAll(List.of(command));
        ExternalCommand.Result result = ExternalCommand.run(line, bundle, Duration.ofSeconds(30));
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output().lines().toList();
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
