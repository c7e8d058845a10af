package dev.xsched.examples.readme;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The README's Java snippets are complete programs that compile as written against the published
 * modules alone (hip-ffm, xsched-core, xsched-policies, xsched-micrometer and Micrometer: not the
 * examples), and the runnable ones run on the simulated GPU, printing what the README says, with
 * the command line it gives (class path, {@code --enable-native-access=ALL-UNNAMED}).
 */
class ReadmeSnippetsTest {
    /** Path entries of the published artifacts and their dependencies, in a reactor build or from a repository. */
    private static final List<String> PUBLISHED = List.of("hip-ffm", "xsched-core", "xsched-policies", "xsched-micrometer",
            "/io/micrometer/", "/org/hdrhistogram/", "/org/latencyutils/");
    /** Only a hang gets near it: each program takes about a second. */
    private static final long WATCHDOG_SECONDS = 300;

    private static ReadmeSnippets readme;
    private static Path classes;

    @TempDir
    static Path work;

    @BeforeAll
    static void compileEverySnippet() throws IOException {
        readme = ReadmeSnippets.load();
        Path sources = Files.createDirectories(work.resolve("src"));
        classes = Files.createDirectories(work.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-Xlint:all", "-d", classes.toString(), "-cp", libraryPath()));
        for (ReadmeSnippets.Block block : readme.blocks("java")) {
            String name = block.publicClass();
            assertThat(name).as("the java block at README.md:%d declares a public class", block.line()).isNotNull();
            Path file = sources.resolve(name + ".java");
            assertThat(file).as("two README blocks declare %s", name).doesNotExist();
            Files.writeString(file, block.text());
            args.add(file.toString());
        }
        StringWriter diagnostics = new StringWriter();
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow(() -> new IllegalStateException("this JDK has no javac"));
        int status = javac.run(new PrintWriter(diagnostics), new PrintWriter(diagnostics), args.toArray(String[]::new));
        assertThat(diagnostics.toString()).as("javac's diagnostics for the README's snippets").isEmpty();
        assertThat(status).isZero();
    }

    /** The published modules' classes or jars, from this JVM's module and class path. */
    private static String libraryPath() {
        String all = System.getProperty("jdk.module.path", "") + File.pathSeparator + System.getProperty("java.class.path", "");
        List<String> entries = Arrays.stream(all.split(File.pathSeparator))
                .filter(e -> !e.isBlank())
                .filter(e -> PUBLISHED.stream().anyMatch(p -> e.replace(File.separatorChar, '/').contains(p)))
                .distinct().toList();
        assertThat(entries).as("the published modules on this test's path").anyMatch(e -> e.contains("xsched-policies"));
        return String.join(File.pathSeparator, entries);
    }

    @Test
    void everyJavaSnippetIsACompleteClassThatCompiles() {
        assertThat(readme.blocks("java")).hasSizeGreaterThanOrEqualTo(5);
        for (ReadmeSnippets.Block block : readme.blocks("java")) {
            assertThat(classes.resolve(block.publicClass() + ".class")).exists();
        }
    }

    @Test
    void theQuickStartRunsWithTheReadmesCommandLine() throws Exception {
        Path source = work.resolve("src/QuickStart.java");
        assertThat(readme.text()).contains("HIP_PLATFORM=sim java --enable-native-access=ALL-UNNAMED")
                .contains("QuickStart.java");
        // The launcher's source-file mode, as the README shows it.
        Result result = java(List.of("-cp", libraryPath(), source.toString()));
        assertThat(result.stdout().lines().filter(l -> l.startsWith("online request "))).hasSize(5);
        assertThat(result.stderr()).as("no JVM warning (for example \"Unknown module\")").doesNotContain("WARNING");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            SimulatedVectorAdd  | c[7] = 21.0
            SimulatedPriorities | priority -5: waited 15.0 ms
            VectorAdd           | c[7] = 0.0
            ScheduledWork       | ''
            SchedulerMetrics    | xsched.queue.submitted(COUNTER)[queue='online'
            """)
    void theRunnableSnippetsPrintWhatTheReadmeSaysOnTheSimulatedGpu(String mainClass, String expected) throws Exception {
        Result result = java(List.of("-cp", classes + File.pathSeparator + libraryPath(), mainClass));
        assertThat(result.stdout()).contains(expected);
        assertThat(result.stderr()).doesNotContain("WARNING");
    }

    @Test
    void theDependencyBlockImportsThisVersionOfTheBomAndNamesPublishedModules() throws IOException {
        Path root = readme.readme().getParent();
        Matcher parent = Pattern.compile("<artifactId>xsched-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(root.resolve("pom.xml")));
        assertThat(parent.find()).isTrue();
        String version = parent.group(1);
        List<ReadmeSnippets.Block> xml = readme.blocks("xml");
        assertThat(xml).hasSize(1);
        String block = xml.getFirst().text();
        assertThat(block).contains("<artifactId>xsched-bom</artifactId>\n      <version>" + version + "</version>")
                .contains("<scope>import</scope>");
        Matcher artifacts = Pattern.compile("<artifactId>([\\w-]+)</artifactId>").matcher(block);
        List<String> named = new ArrayList<>();
        while (artifacts.find()) {
            named.add(artifacts.group(1));
        }
        String bom = Files.readString(root.resolve("xsched-bom/pom.xml"));
        assertThat(named).contains("xsched-bom", "xsched-core", "xsched-policies");
        for (String artifact : named) {
            assertThat(artifact.equals("xsched-bom") || bom.contains("<artifactId>" + artifact + "</artifactId>"))
                    .as("%s is managed by the BOM", artifact).isTrue();
        }
        assertThat(readme.text()).as("the class-path command names this version's jars").contains("hip-ffm-" + version + ".jar");
    }

    private record Result(String stdout, String stderr) {
    }

    /** Runs {@code java --enable-native-access=ALL-UNNAMED ARGS} with HIP_PLATFORM=sim, as the README says; exit 0 required. */
    private static Result java(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(args);
        Path out = Files.createTempFile(work, "stdout", ".txt");
        Path err = Files.createTempFile(work, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("XSCHED_") || k.equals("JAVA_TOOL_OPTIONS"));
        env.put("HIP_PLATFORM", "sim");
        Process process = builder.start();
        if (!process.waitFor(WATCHDOG_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("%s hung; its output so far:%n%s%n%s", command, Files.readString(out), Files.readString(err));
        }
        Result result = new Result(Files.readString(out), Files.readString(err));
        assertThat(process.exitValue()).as("exit status of %s%nstdout:%n%s%nstderr:%n%s", command.stream()
                .skip(2).collect(Collectors.joining(" ")), result.stdout(), result.stderr()).isZero();
        return result;
    }
}
