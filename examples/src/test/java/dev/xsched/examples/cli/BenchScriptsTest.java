package dev.xsched.examples.cli;

import dev.xsched.testsupport.ExternalCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bundle's {@code bench/} scripts (examples/src/main/c) compare the library with C and PyTorch
 * on an NVIDIA host, which this machine is not; what can be checked without one is checked here,
 * so that a documented command fails on the GPU host only for reasons of the GPU host: every script
 * parses, the options a comparison script documents are options of both programs it passes them
 * to (the C program and the {@code xsched bench} command), and without a toolkit it stops at once,
 * naming what is missing, before building or running anything.
 */
class BenchScriptsTest {
    private static final Path SCRIPTS = Path.of("src", "main", "c");
    private static final Pattern OPTION = Pattern.compile("\\[(--[a-z-]+)");

    /** A comparison script, the C program it builds and the xsched bench command it runs. */
    private record Comparison(String script, String cSource, String benchCommand, String header) {
    }

    private static final List<Comparison> COMPARISONS = List.of(
            new Comparison("run-launch-comparison.sh", "launch_bench.c", "launch", "cuda.h"),
            new Comparison("run-gemm-comparison.sh", "gemm_bench.c", "gemm", "cublas_v2.h"));

    @Test
    void everyScriptParses() throws Exception {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            scripts = files.filter(p -> p.toString().endsWith(".sh")).sorted().toList();
        }
        assertThat(scripts).extracting(p -> p.getFileName().toString())
                .contains("bench-env.sh", "run-launch-comparison.sh", "run-gemm-comparison.sh");
        for (Path script : scripts) {
            ExternalCommand.Result r = ExternalCommand.run(List.of("bash", "-n", script.toString()), null, Duration.ofSeconds(30));
            assertThat(r.exitCode()).as("bash -n " + script + ": " + r.output()).isZero();
        }
    }

    @Test
    void theOptionsAComparisonScriptDocumentsAreOptionsOfBothPrograms() throws Exception {
        CommandLine bench = xschedCommandLine().getSubcommands().get("bench");
        for (Comparison c : COMPARISONS) {
            Set<String> options = usageOptions(Files.readString(SCRIPTS.resolve(c.script())));
            assertThat(options).as("options in the usage line of " + c.script()).isNotEmpty();
            String cSource = Files.readString(SCRIPTS.resolve(c.cSource()));
            CommandLine java = bench.getSubcommands().get(c.benchCommand());
            assertThat(java).as("xsched bench " + c.benchCommand()).isNotNull();
            for (String option : options) {
                assertThat(java.getCommandSpec().findOption(option))
                        .as(c.script() + " documents " + option + ", which xsched bench " + c.benchCommand() + " must take")
                        .isNotNull();
                assertThat(cSource).as(c.cSource() + " must parse " + option + " (documented by " + c.script() + ")")
                        .contains("\"" + option + "\"");
            }
        }
    }

    @Test
    void withoutArgumentsAComparisonScriptPrintsItsUsage() throws Exception {
        for (Comparison c : COMPARISONS) {
            ExternalCommand.Result r = ExternalCommand.run(List.of("bash", SCRIPTS.resolve(c.script()).toString()), null,
                    Duration.ofSeconds(30));
            assertThat(r.exitCode()).as(c.script() + " without arguments").isEqualTo(1);
            assertThat(r.output()).as(c.script() + "'s usage").contains(c.script() + " OUT_DIR");
        }
    }

    @Test
    void withoutAToolkitAComparisonScriptStopsNamingTheMissingHeader(@TempDir Path tmp) throws Exception {
        assumeTrue(!nvccOnPath(), "nvcc is on PATH here: the scripts would take its toolkit");
        for (Comparison c : COMPARISONS) {
            Path out = tmp.resolve(c.benchCommand());
            // env -i: no CUDA_PATH or XSCHED from the caller; /bin/true stands in for the bundle,
            // which the script looks for first and never reaches here.
            ExternalCommand.Result r = ExternalCommand.run(List.of("env", "-i", "PATH=/usr/bin:/bin",
                    "CUDA_HOME=" + tmp.resolve("no-toolkit"), "XSCHED=/bin/true",
                    "bash", SCRIPTS.resolve(c.script()).toString(), out.toString()), null, Duration.ofSeconds(30));
            assertThat(r.exitCode()).as(c.script() + ": " + r.output()).isEqualTo(1);
            assertThat(r.output()).contains("include/" + c.header() + " not found; set CUDA_HOME to a CUDA toolkit");
            assertThat(out).as("nothing built or written before the toolkit was found").doesNotExist();
        }
    }

    /** The {@code [--option ...]} names of a script's usage comment (its lines 2 to 20, which it prints). */
    private static Set<String> usageOptions(String script) {
        Set<String> options = new LinkedHashSet<>();
        for (String line : script.lines().limit(20).toList()) {
            if (line.startsWith("#   run-")) {
                Matcher m = OPTION.matcher(line);
                while (m.find()) {
                    options.add(m.group(1));
                }
            }
        }
        return options;
    }

    private static boolean nvccOnPath() throws IOException, InterruptedException {
        return ExternalCommand.run(List.of("env", "PATH=/usr/bin:/bin", "bash", "-c", "command -v nvcc"), null,
                Duration.ofSeconds(10)).exitCode() == 0;
    }

    private static CommandLine xschedCommandLine() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return XschedCommand.commandLine(new Terminal(sink, sink));
    }
}
