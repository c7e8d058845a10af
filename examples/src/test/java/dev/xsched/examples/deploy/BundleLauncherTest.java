package dev.xsched.examples.deploy;

import dev.xsched.testsupport.ExternalCommand;
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
 * collects with ZGC on hosts of 4 or more processors unless those options choose a collector; no
 * other command gets either option. Run against a stand-in for the bundle's runtime whose
 * {@code java} prints its arguments, one a line, and a stand-in {@code nproc} that says how many
 * processors the host has.
 */
class BundleLauncherTest {
    private static final String EARLY_JIT = "-XX:CompileThresholdScaling=0.05";
    private static final String ZGC = "-XX:+UseZGC";

    @TempDir
    Path bundle;

    /** How many processors the stand-in {@code nproc} reports. */
    private int processors = 16;

    @Test
    void theDemoCompilesEarlyUnlessTheUsersOptionsSayOtherwiseAndNoOtherCommandDoes() throws Exception {
        standInBundle();

        List<String> demo = arguments("-XX:CompileThresholdScaling=1 -Dxsched.example=yes", "demo", "--duration", "1");
        assertThat(demo).contains(EARLY_JIT, "-XX:CompileThresholdScaling=1", "-Dxsched.example=yes")
                .endsWith("dev.xsched.examples/dev.xsched.examples.cli.XschedCommand", "demo", "--duration", "1");
        assertThat(demo.indexOf(EARLY_JIT)).as("the user's value comes later and wins")
                .isLessThan(demo.indexOf("-XX:CompileThresholdScaling=1"));

        assertThat(arguments("", "info")).as("only the demo").doesNotContain(EARLY_JIT).endsWith("info");
        assertThat(arguments("", "bench", "decision")).doesNotContain(EARLY_JIT);
    }

    @Test
    void theDemoCollectsWithZgcOnHostsWithCoresToSpareUnlessTheUsersOptionsChooseACollector() throws Exception {
        standInBundle();

        List<String> demo = arguments("-Dxsched.example=yes", "demo");
        assertThat(demo).contains(ZGC, EARLY_JIT);
        assertThat(demo.indexOf(ZGC)).as("before the user's options").isLessThan(demo.indexOf("-Dxsched.example=yes"));
        assertThat(arguments("-Xmx2g -XX:+UseG1GC", "demo")).as("the user's collector alone")
                .doesNotContain(ZGC).contains("-XX:+UseG1GC");
        assertThat(arguments("-XX:+UseNUMA -XX:-ScavengeBeforeFullGC", "demo")).as("options that choose no collector")
                .contains(ZGC);
        assertThat(arguments("", "info")).as("only the demo and bench policies").doesNotContain(ZGC);
        assertThat(arguments("", "bench", "policies", "--only", "deadline")).as("deadlines count a pause as response")
                .contains(ZGC).doesNotContain(EARLY_JIT);
        assertThat(arguments("", "bench", "launch")).as("launch throughput against C: the default collector")
                .doesNotContain(ZGC);

        processors = 2;
        assertThat(arguments("", "demo")).as("a 2-processor host keeps the default collector")
                .doesNotContain(ZGC).contains(EARLY_JIT);
    }

    /** Both launchers choose the demo's collector with the same function, so they cannot drift apart. */
    @Test
    void theSourceLauncherChoosesTheCollectorAsTheBundlesDoes() throws IOException {
        assertThat(function(Path.of("..", "xsched"), "demo_collector"))
                .isEqualTo(function(Path.of("src/bundle/bin/xsched"), "demo_collector"))
                .contains("-XX:+UseZGC");
    }

    /** The text of the bash function {@code name} in {@code script}, from its first line to its closing brace. */
    private static String function(Path script, String name) throws IOException {
        String text = Files.readString(script);
        int start = text.indexOf("\n" + name + "() {\n");
        assertThat(start).as(name + " in " + script).isNotNegative();
        int end = text.indexOf("\n}\n", start);
        return text.substring(start, end + 3);
    }

    /** The launcher in bin/, a runtime whose java prints its arguments, and a stand-in nproc. */
    private void standInBundle() throws IOException {
        Path launcher = Files.createDirectories(bundle.resolve("bin")).resolve("xsched");
        Files.copy(Path.of("src/bundle/bin/xsched"), launcher);
        executable(launcher);
        Path java = Files.createDirectories(bundle.resolve("runtime/bin")).resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
        executable(java);
        Path nproc = Files.createDirectories(bundle.resolve("stand-ins")).resolve("nproc");
        Files.writeString(nproc, "#!/usr/bin/env bash\necho \"$XSCHED_TEST_PROCESSORS\"\n");
        executable(nproc);
    }

    @Test
    void javaWithoutAMainClassPrintsItsUsage() throws Exception {
        standInBundle();
        ExternalCommand.Result result = ExternalCommand.run(List.of("bash", bundle.resolve("bin/xsched").toString(), "java"),
                bundle, Duration.ofSeconds(30));
        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("usage: bin/xsched java MAIN-CLASS").doesNotContain("unbound variable");
    }

    /** What the launcher passed to java, with {@code javaOptions} as XSCHED_JAVA_OPTS. */
    private List<String> arguments(String javaOptions, String... command) throws IOException, InterruptedException {
        List<String> line = new java.util.ArrayList<>(List.of("env", "XSCHED_JAVA_OPTS=" + javaOptions,
                "XSCHED_TEST_PROCESSORS=" + processors,
                "PATH=" + bundle.resolve("stand-ins") + java.io.File.pathSeparator + System.getenv("PATH"), "bash",
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
