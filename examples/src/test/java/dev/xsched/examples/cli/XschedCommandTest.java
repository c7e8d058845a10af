package dev.xsched.examples.cli;

import dev.xsched.examples.bench.Mode;
import dev.xsched.examples.bench.PolicyOptions;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.examples.resnet.PersistentGrid;
import dev.xsched.examples.scenario.DemoTuning;
import dev.xsched.examples.scenario.ScenarioOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The command line itself: help, version, usage errors, the options each command gets. */
class XschedCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    private int run(String... args) {
        return XschedCommand.run(List.of(args), terminal);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The command object {@code args} select, its options parsed but nothing run. */
    private <T> T parsed(Class<T> type, String... args) {
        ParseResult result = XschedCommand.commandLine(terminal).parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return type.cast(result.commandSpec().userObject());
    }

    @Test
    void helpListsEveryCommandIncludingTheLaunchersAndTheNestedOnes() {
        assertThat(run("help")).isZero();
        assertThat(out()).contains("Usage: xsched [-hV] COMMAND");
        for (String command : List.of("demo", "info", "policies", "bench launch", "bench policies", "bench preemption",
                "example adoption", "example custom-policy", "example blas", "example adopt-stream", "bench gemm", "chart", "breakdown",
                "generate-completion", "help", "test", "build")) {
            assertThat(out()).as(command).containsPattern("(?m)^  " + command + " ");
        }
        assertThat(out()).contains("Exit status: 0 done, 1 failed while running, 2 usage error.");
        assertThat(err()).isEmpty();
    }

    @Test
    void theBundleListsItsOwnLauncherCommands() {
        CommandLine commandLine = new CommandLine(CommandLine.Model.CommandSpec.create());
        LauncherCommands.forLauncher("bundle").addTo(commandLine);
        assertThat(commandLine.getSubcommands()).containsOnlyKeys("gpu-test", "java");
        assertThat(LauncherCommands.forLauncher(null).entries()).extracting(LauncherCommands.Entry::name)
                .containsExactly("test", "build");
    }

    @Test
    void aLauncherCommandRunThroughThisProgramSaysWhereItRuns() {
        assertThat(run("test", "-Pgpu")).isEqualTo(2);
        assertThat(err()).contains("xsched test: runs in the ./xsched script of a source checkout, not in this program");
    }

    @Test
    void noCommandPrintsTheUsageAsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).contains("xsched: name a command").contains("Usage: xsched");
        assertThat(run("bench")).isEqualTo(2);
        assertThat(err()).contains("xsched bench: name a command").contains("launch").contains("preemption");
    }

    @Test
    void versionIsTheProjectVersion() throws Exception {
        assertThat(run("--version")).isZero();
        assertThat(out()).startsWith("xsched " + VersionProvider.projectVersion() + " (XSched for Java)");
        assertThat(VersionProvider.projectVersion()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void anUnknownCommandIsAUsageErrorWithSuggestions() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err()).contains("xsched: unknown command 'frobnicate'").contains("Try 'xsched --help'");
        assertThat(run("bench", "lanch")).isEqualTo(2);
        assertThat(err()).contains("xsched bench: unknown command 'lanch'").contains("launch");
    }

    @Test
    void aBadValueNamesTheOptionAndWhatItTakes() {
        assertThat(run("demo", "--duration", "abc")).isEqualTo(2);
        assertThat(err()).contains("xsched demo: Invalid value for option '--duration': 'abc' is not a double")
                .contains("Try 'xsched demo --help'");
        err.reset();
        assertThat(run("demo", "--hw-priority", "maybe")).isEqualTo(2);
        assertThat(err()).contains("--hw-priority").contains("expected one of [on, off]").contains("'maybe'");
        err.reset();
        assertThat(run("demo", "--rate", "0")).isEqualTo(2);
        assertThat(err()).contains("xsched demo: --rate must be between 0.001 and 100000 requests per second, got 0.0");
        err.reset();
        assertThat(run("bench", "preemption", "--probes", "2")).isEqualTo(2);
        assertThat(err()).contains("xsched bench preemption: --probes must be >= 5, got 2");
        err.reset();
        assertThat(run("bench", "launch", "--fast")).isEqualTo(2);
        assertThat(err()).contains("Unknown option: '--fast'");
    }

    @Test
    void policyParametersWithoutAPolicyToSwitchToAreAUsageError() {
        // Checked before any connection: no server is needed to be told the parameters would be dropped.
        assertThat(run("policy", "--param", "slice=2ms", "--socket", "/nonexistent/xsched.sock")).isEqualTo(2);
        assertThat(err()).contains("xsched policy: --param needs the policy NAME to switch to");
    }

    /**
     * Values that once ran: a rate whose arrival period rounds to 0 ns (or wraps) looped forever
     * before the first mode ended; a mode named twice, or a policy not installed, failed only
     * after the modes before it had run, writing no results; a week-plus window overflowed the
     * nanosecond clock and "measured" nothing.
     */
    @Test
    void demoRefusesWhatWouldHangOrFailOnlyAfterTheRun() throws Exception {
        for (String rate : List.of("2e9", "Infinity", "NaN", "1e-10")) {
            assertThat(run("demo", "--rate", rate)).as("--rate " + rate).isEqualTo(2);
            assertThat(err()).contains("--rate must be between 0.001 and 100000 requests per second");
            err.reset();
        }
        assertThat(run("demo", "--modes", "standalone-hp,native,NATIVE")).isEqualTo(2);
        assertThat(err()).contains("names native twice");
        err.reset();
        assertThat(parsed(DemoCommand.class, "demo", "--modes", "xsched-hpf", "--policy", "HPF").options().modes())
                .as("policy names are lower case: --policy HPF is the mode xsched-hpf, already named")
                .containsExactly(Mode.xsched("hpf"));
        assertThat(run("demo", "--policy", "hpff")).isEqualTo(2);
        assertThat(err()).contains("mode xsched-hpff: no policy 'hpff' is installed; installed: ").contains("hpf");
        err.reset();
        for (String option : List.of("--duration", "--warmup")) {
            assertThat(run("demo", option, "1e12")).as(option).isEqualTo(2);
            assertThat(err()).contains(option + " must be at most 604800 s (a week)");
            err.reset();
        }
        assertThat(parsed(DemoCommand.class, "demo", "--policy", "CFS").options().modes()).contains(Mode.xsched("cfs"));
        // An --output that cannot be written fails before the first mode, not when the results are written.
        Path notAFolder = Files.createTempFile("xsched-output", ".txt");
        try {
            assertThat(run("demo", "--duration", "1", "--warmup", "0", "--output", notAFolder.resolve("results").toString()))
                    .isEqualTo(1);
            assertThat(err()).contains("--output " + notAFolder.resolve("results") + ": the results could not be written there");
            assertThat(out()).doesNotContain("mode standalone-hp:");
        } finally {
            Files.deleteIfExists(notAFolder);
        }
    }

    @Test
    void demoOptionsReachTheScenario() {
        ScenarioOptions o = parsed(DemoCommand.class, "demo", "--modes", "native,xsched-hpf", "--policy", "cfs",
                "--hw-priority", "off", "--duration", "5", "--slice", "64", "--output", "out/x").options();
        assertThat(o.modes()).containsExactly(Mode.NATIVE, Mode.xsched("hpf"), Mode.xsched("cfs"));
        assertThat(o.hwPriority()).isFalse();
        assertThat(o.seconds()).isEqualTo(5);
        assertThat(o.slice()).isEqualTo("64");
        assertThat(o.output()).isEqualTo(Path.of("out/x"));
        ScenarioOptions defaults = parsed(DemoCommand.class, "demo").options();
        assertThat(defaults.modes()).isEqualTo(ScenarioOptions.DEFAULT_MODES);
        assertThat(defaults.output().toString()).startsWith("results");
        DemoCommand bad = parsed(DemoCommand.class, "demo", "--threshold", "1", "--batch-size", "2");
        assertThatThrownBy(bad::options).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--batch-size must be <= --threshold");
        assertThat(run("demo", "--modes", "native,bogus")).isEqualTo(2);
        assertThat(err()).contains("Invalid value for option '--modes'").contains("unknown mode 'bogus'");
    }

    @Test
    void theDeviceGateIsOnByDefaultInTwoProcessesOnlyAndAsAskedOtherwise() {
        assertThat(parsed(DemoCommand.class, "demo").options().deviceGate()).as("one process").isFalse();
        assertThat(parsed(DemoCommand.class, "demo", "--processes", "2").options().deviceGate()).as("two processes").isTrue();
        assertThat(parsed(DemoCommand.class, "demo", "--processes", "2", "--device-gate", "off").options().deviceGate()).isFalse();
        assertThat(parsed(DemoCommand.class, "demo", "--device-gate", "on").options().deviceGate()).isTrue();
    }

    /**
     * Deciding on submit and persistent grids: on, in one process and in two, but deciding on
     * submit off in one process where every scheduled mode is HPF (its online queue stops the
     * batch kernels itself), unless an option, or else a property or variable (older device
     * scripts'), says; resolved without
     * touching the JVM's properties
     * ({@code DemoTuningTest} covers the properties and the variable).
     */
    @Test
    void decideOnSubmitAndPersistentGridsFollowTheDefaultsAndAsAsked() {
        assumeTrue(System.getProperty(XScheduler.DECIDE_ON_SUBMIT_PROPERTY) == null
                        && System.getenv(XScheduler.DECIDE_ON_SUBMIT_VARIABLE) == null
                        && System.getProperty(PersistentGrid.PROPERTY) == null,
                "a property or variable of this JVM sets the demo's default");
        assumeTrue(System.getProperty("xsched.scenario.stopOnReady") == null, "a property sets the demo's stop on turning ready");
        ScenarioOptions defaults = parsed(DemoCommand.class, "demo").options();
        assertThat(defaults.decideOnSubmit()).as("one process, xsched-hpf its only scheduled mode: the online queue's"
                + " store stops the batch kernels, and the round runs on the scheduling thread").isFalse();
        assertThat(defaults.persistentGrids()).isTrue();
        assertThat(parsed(DemoCommand.class, "demo", "--modes", "standalone-hp,xsched-hpf,xsched-fifo").options().tuning())
                .as("a scheduled mode without the stop").isEqualTo(new DemoTuning(true, true));
        assertThat(parsed(DemoCommand.class, "demo", "--decide-on-submit", "on").options().decideOnSubmit()).isTrue();
        ScenarioOptions off = parsed(DemoCommand.class, "demo", "--decide-on-submit", "off", "--persistent-grids", "off").options();
        assertThat(off.decideOnSubmit()).isFalse();
        assertThat(off.persistentGrids()).isFalse();
        assertThat(parsed(DemoCommand.class, "demo", "--processes", "2").options().tuning())
                .as("two processes: persistent grids too, since round 37").isEqualTo(new DemoTuning(true, true));
        assertThat(parsed(DemoCommand.class, "demo", "--persistent-grids", "off", "--processes", "2").options().tuning())
                .isEqualTo(new DemoTuning(true, false));
        assertThat(run("demo", "--persistent-grids", "sometimes")).isEqualTo(2);
        assertThat(err()).contains("--persistent-grids").contains("expected one of [on, off]");
    }

    @Test
    void demoHelpSaysWhatDecidingOnSubmitAndPersistentGridsDoAndCost() {
        assertThat(run("demo", "--help")).isZero();
        // The help wraps its lines: read it as one.
        assertThat(out().replaceAll("\\s+", " ")).contains("--decide-on-submit=on|off").contains("--persistent-grids=on|off")
                .contains("as many blocks as the GPU holds").contains("about 3% of the batch job")
                .contains("No effect on the simulator").contains("the submitting thread");
    }

    @Test
    void demoPrecisionDefaultsToTheDevicesAndRefusesOthersThanTf32AndFp32() {
        assertThat(parsed(DemoCommand.class, "demo").options().precision()).isNull();
        assertThat(parsed(DemoCommand.class, "demo", "--precision", "fp32").options().precision())
                .isEqualTo(dev.xsched.examples.resnet.ConvPrecision.FP32);
        DemoCommand bad = parsed(DemoCommand.class, "demo", "--precision", "fp16");
        assertThatThrownBy(bad::options).hasMessageContaining("tf32 or fp32").hasMessageContaining("fp16");
    }

    @Test
    void benchOptionsReachTheBenchmarks() {
        PolicyOptions p = parsed(BenchPoliciesCommand.class, "bench", "policies", "--only", "deadline,partition",
                "--duration", "0.5", "--warmup", "0", "--kernel-ms", "2", "--output", "out/p").options();
        assertThat(p.only()).containsExactly("partition", "deadline");
        assertThat(p).isEqualTo(new PolicyOptions(0.5, 0, List.of("partition", "deadline"), 2, Path.of("out/p")));
        assertThat(parsed(BenchPoliciesCommand.class, "bench", "policies", "--modes", "native,xsched-up,xsched-kedf")
                .options().modes()).containsExactly(Mode.NATIVE, Mode.xsched("up"), Mode.xsched("kedf"));
        assertThat(parsed(BenchLaunchCommand.class, "bench", "launch", "--iterations", "10", "--warmup", "0", "--launches", "5")
                .options()).isEqualTo(new dev.xsched.examples.bench.LaunchBenchmark.Options(10, 0, 5));
        assertThat(parsed(BenchLaunchCommand.class, "bench", "launch", "--threshold", "64", "--batch-size", "16")
                .options()).isEqualTo(new dev.xsched.examples.bench.LaunchBenchmark.Options(
                        dev.xsched.examples.bench.LaunchBenchmark.Options.DEFAULT_ITERATIONS,
                        dev.xsched.examples.bench.LaunchBenchmark.Options.DEFAULT_WARMUP,
                        dev.xsched.examples.bench.LaunchBenchmark.Options.DEFAULT_LAUNCHES, 64, 16, 0,
                        dev.xsched.examples.bench.LaunchBenchmark.Options.DEFAULT_ROUNDS,
                        dev.xsched.examples.bench.LaunchBenchmark.Options.DEFAULT_DRAIN_BUDGET_MICROS));
        assertThat(parsed(BenchLaunchCommand.class, "bench", "launch", "--idle-poll-us", "1000").options().idlePollMicros())
                .isEqualTo(1000L);
        assertThat(parsed(BenchLaunchCommand.class, "bench", "launch", "--rounds", "9").options().rounds()).isEqualTo(9);
        assertThat(parsed(BenchLaunchCommand.class, "bench", "launch", "--drain-budget-us", "500").options().drainBudgetMicros())
                .isEqualTo(500L);
        assertThat(parsed(BenchLaunchCommand.class, "bench", "launch").options().drainBudgetMicros()).as("the queue's default")
                .isEqualTo(XQueueConfig.DEFAULT_DRAIN_BUDGET.toNanos() / 1000);
        assertThat(parsed(BenchLaunchCommand.class, "bench", "launch", "--drain-budget-us", "0").options().drainBudgetMicros())
                .as("a fixed window").isZero();
        assertThat(parsed(BenchLaunchCommand.class, "bench", "launch").options().decideOnSubmit())
                .as("the scheduler's default, from its property or variable").isNull();
        assertThat(parsed(BenchLaunchCommand.class, "bench", "launch", "--decide-on-submit", "on").options().decideOnSubmit()).isTrue();
        assertThat(parsed(BenchLaunchCommand.class, "bench", "launch", "--decide-on-submit", "off").options().decideOnSubmit()).isFalse();
        assertThat(parsed(BenchPreemptionCommand.class, "bench", "preemption", "--block-ms", "0.5,3", "--probes", "7")
                .options().blockMs()).containsExactly(0.5, 3.0);
    }

    @Test
    void everyCommandHasHelp() {
        for (List<String> command : List.of(List.of("demo"), List.of("info"), List.of("policies"), List.of("bench", "launch"),
                List.of("bench", "policies"), List.of("bench", "preemption"), List.of("example", "adoption"),
                List.of("example", "custom-policy"), List.of("chart"))) {
            out.reset();
            List<String> args = new java.util.ArrayList<>(command);
            args.add("--help");
            assertThat(run(args.toArray(String[]::new))).as(command.toString()).isZero();
            assertThat(out()).as(command.toString()).contains("Usage: xsched " + String.join(" ", command));
        }
    }

    @Test
    void demoHelpSaysWhatItWritesAndWhere() {
        run("demo", "--help");
        assertThat(out()).contains("results/<timestamp>/").contains("results.json").contains("hp-latencies.csv")
                .contains("hp-latencies.hlog").contains("latency-cdf.png");
    }

    @Test
    void theCompletionScriptCoversTheCommandsAndOptions() {
        assertThat(run("generate-completion")).isZero();
        assertThat(out()).contains("complete -F _complete_xsched").contains("preemption").contains("--hw-priority")
                .contains("--decide-on-submit").contains("--persistent-grids");
    }

    @Test
    void anErrorOutOfACommandIsReportedLikeAnExceptionNotAsAStackTrace() {
        assumeTrue(!"1".equals(System.getenv("XSCHED_DEBUG")), "XSCHED_DEBUG=1 adds the stack trace");
        CommandLine commandLine = XschedCommand.commandLine(terminal);
        commandLine.addSubcommand(new CommandLine(new Links()));
        assertThat(XschedCommand.execute(commandLine, List.of("links"), terminal)).isEqualTo(1);
        assertThat(err()).isEqualTo("xsched links: libcuda.so.1: cannot open shared object file" + System.lineSeparator());
    }

    /** A command whose native library does not link. */
    @CommandLine.Command(name = "links")
    static final class Links implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            throw new UnsatisfiedLinkError("libcuda.so.1: cannot open shared object file");
        }
    }
}
