package dev.xsched.examples.cli;

import dev.xsched.testsupport.ExternalCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The scripts under docs/device/ run on the GPU host, where a session has minutes of device time:
 * a typo found there costs a whole call. So here, without a GPU, every script must parse
 * ({@code bash -n}), every main class it starts through the bundle's {@code xsched java} must
 * exist with a {@code main}, and every {@code xsched} command it runs must exist with every
 * {@code --option} it passes.
 */
class DeviceScriptsTest {
    private static final Path DEVICE = Path.of("..", "docs", "device");
    /** A bundle command: "$x" then its words up to the end of the (joined) line or a redirection. */
    private static final Pattern INVOCATION = Pattern.compile("\"\\$x\" ([^>|;&]*)");
    private static final Pattern JAVA_MAIN = Pattern.compile("^java (dev\\.xsched\\.[\\w.]+)");

    @Test
    void everyScriptParsesAndRunsOnlyCommandsAndOptionsThatExist() throws Exception {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(DEVICE)) {
            scripts = files.filter(p -> p.toString().endsWith(".sh")).sorted().toList();
        }
        assertThat(scripts).as("scripts in " + DEVICE).isNotEmpty();
        CommandLine xsched = bundleCommandLine();
        int checked = 0;
        for (Path script : scripts) {
            assertThat(bashSyntaxCheck(script)).as("bash -n " + script).isEmpty();
            for (String invocation : invocations(Files.readString(script))) {
                checkInvocation(script, invocation, xsched);
                checked++;
            }
        }
        assertThat(checked).as("bundle commands found in the scripts").isGreaterThan(20);
    }

    /** The Python scripts there (PyTorch comparisons, driver probes) must at least parse. */
    @Test
    void everyPythonScriptParses() throws Exception {
        assumeTrue(ExternalCommand.python3Works(), "python3 is not installed here");
        List<Path> scripts;
        try (Stream<Path> files = Files.list(DEVICE)) {
            scripts = files.filter(p -> p.toString().endsWith(".py")).sorted().toList();
        }
        assertThat(scripts).as("Python scripts in " + DEVICE).isNotEmpty();
        for (Path script : scripts) {
            // ast.parse rather than py_compile, which would leave __pycache__ in docs/device
            ExternalCommand.Result r = ExternalCommand.python3(Duration.ofSeconds(30), "-c",
                    "import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])", script.toString());
            assertThat(r.exitCode()).as("python3 parse of " + script + ": " + r.output()).isZero();
        }
    }

    @Test
    void aMisspelledOptionIsCaught() {
        CommandLine xsched = bundleCommandLine();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> checkInvocation(Path.of("example.sh"), "demo --duraton 180 --modes $m", xsched))
                .hasMessageContaining("--duraton");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> checkInvocation(Path.of("example.sh"), "java dev.xsched.examples.NoSuchMain", xsched))
                .hasMessageContaining("NoSuchMain");
    }

    /** The command tree as the bundle's launcher builds it (its launcher-only commands included). */
    private static CommandLine bundleCommandLine() {
        String before = System.getProperty(LauncherCommands.PROPERTY);
        System.setProperty(LauncherCommands.PROPERTY, "bundle");
        try {
            PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            return XschedCommand.commandLine(new Terminal(sink, sink));
        } finally {
            if (before == null) {
                System.clearProperty(LauncherCommands.PROPERTY);
            } else {
                System.setProperty(LauncherCommands.PROPERTY, before);
            }
        }
    }

    /** The bundle commands of a script, its continuation lines joined. */
    static List<String> invocations(String script) {
        String joined = script.replace("\\\n", " ");
        List<String> found = new ArrayList<>();
        for (String line : joined.split("\n")) {
            if (line.stripLeading().startsWith("#")) {
                continue;
            }
            Matcher m = INVOCATION.matcher(line);
            while (m.find()) {
                found.add(m.group(1).strip());
            }
        }
        return found;
    }

    private static void checkInvocation(Path script, String invocation, CommandLine xsched) throws Exception {
        Matcher main = JAVA_MAIN.matcher(invocation);
        if (main.find()) {
            Class<?> type;
            try {
                type = Class.forName(main.group(1));
            } catch (ClassNotFoundException e) {
                throw new AssertionError(script + ": no class " + main.group(1) + " for '" + invocation + "'");
            }
            Method m = type.getMethod("main", String[].class);
            assertThat(Modifier.isStatic(m.getModifiers())).as(script + ": " + main.group(1) + ".main is static").isTrue();
            return;
        }
        List<String> words = Arrays.stream(invocation.split("\\s+")).filter(w -> !w.isEmpty()).toList();
        CommandLine command = xsched;
        int i = 0;
        while (i < words.size() && command.getSubcommands().containsKey(words.get(i))) {
            command = command.getSubcommands().get(words.get(i));
            i++;
        }
        if (i == 0) {
            throw new AssertionError(script + ": '" + words.getFirst() + "' is not an xsched command, in '" + invocation + "'");
        }
        if (command.getCommandSpec().parser().unmatchedOptionsArePositionalParams()) {
            return; // a launcher command (gpu-test): its options go to another program
        }
        for (String word : words.subList(i, words.size())) {
            if (word.startsWith("--")) {
                String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
                if (command.getCommandSpec().findOption(name) == null) {
                    throw new AssertionError(script + ": " + command.getCommandName() + " has no option " + name + ", in '" + invocation + "'");
                }
            }
        }
    }

    /** bash -n's complaints (empty when the script parses). */
    private static String bashSyntaxCheck(Path script) throws IOException, InterruptedException {
        ExternalCommand.Result r = ExternalCommand.run(List.of("bash", "-n", script.toString()), null, Duration.ofSeconds(30));
        return r.exitCode() == 0 ? "" : "exit " + r.exitCode() + ": " + r.output();
    }
}
