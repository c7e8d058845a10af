package dev.xsched.examples.cli;

import dev.xsched.examples.bench.Mode;
import dev.xsched.examples.resnet.ConvPrecision;
import dev.xsched.examples.scenario.DemoTuning;
import dev.xsched.examples.scenario.ScenarioBenchmark;
import dev.xsched.examples.scenario.ScenarioOptions;
import dev.xsched.ipc.client.ControlClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code xsched demo}: the scenario benchmark ({@link ScenarioBenchmark}). */
@Command(name = "demo", sortOptions = false,
        description = {
                "the scenario: ResNet-18 at 20 req/s beside ResNet-50 at batch 1024, in every mode",
                "ResNet-18 (batch 1) serves requests at a fixed rate, open loop (each latency counts from the request's "
                        + "scheduled arrival), beside ResNet-50 at a large batch back to back, under each mode: each model "
                        + "alone, native (two equal streams), native-priority (hardware stream priorities) and xsched-POLICY "
                        + "(scheduled by XSched). Without a GPU it runs on the simulated platform, replaying kernel durations "
                        + "recorded on an NVIDIA H200, and says so.",
                "Prints a table and a verdict per mode (HP P99 against ResNet-18 alone, the batch job's throughput "
                        + "against ResNet-50 alone) and writes to the output folder (default results/<timestamp>/ under the "
                        + "working directory): results.json (every figure and the verdict), hp-latencies.csv (every HP "
                        + "latency, mode,latency_ms), hp-latencies.hlog (the same as an HdrHistogram log, one interval per "
                        + "mode), latency-cdf.png (the latency CDF and the batch job's throughput; 'xsched chart DIR' "
                        + "redraws it)."})
final class DemoCommand extends Subcommand {
    @Option(names = "--rate", paramLabel = "R", description = "high-priority requests per second (default ${DEFAULT-VALUE})")
    double rate = ScenarioOptions.DEFAULT_RATE;

    @Option(names = "--batch", paramLabel = "B",
            description = "low-priority ResNet-50 batch (default ${DEFAULT-VALUE}, or the largest that fits)")
    int batch = ScenarioOptions.DEFAULT_LP_BATCH;

    @Option(names = "--duration", paramLabel = "S", description = "measured seconds per mode (default ${DEFAULT-VALUE})")
    double duration = ScenarioOptions.DEFAULT_SECONDS;

    @Option(names = "--warmup", paramLabel = "S", description = "unmeasured seconds before each mode (default ${DEFAULT-VALUE})")
    double warmup = ScenarioOptions.DEFAULT_WARMUP;

    @Option(names = "--modes", paramLabel = "MODE", split = ",", converter = ModeConverter.class,
            description = {"the modes, in order: standalone-hp, standalone-lp, native, native-priority, xsched-POLICY",
                    "(default ${DEFAULT-VALUE})"})
    List<Mode> modes = new ArrayList<>(ScenarioOptions.DEFAULT_MODES);

    @Option(names = "--policy", paramLabel = "P", description = "adds the mode xsched-P (repeatable; 'xsched policies' lists them)")
    List<String> policies = new ArrayList<>();

    @Option(names = "--threshold", paramLabel = "N",
            description = "in-flight threshold of the low-priority XQueue (default ${DEFAULT-VALUE})")
    int threshold = ScenarioOptions.DEFAULT_THRESHOLD;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "commands per sync point of the low-priority XQueue (default ${DEFAULT-VALUE})")
    int batchSize = ScenarioOptions.DEFAULT_BATCH_SIZE;

    @Option(names = "--hw-priority", paramLabel = "on|off",
            description = "scheduled modes also put the HP queue on the highest stream priority (default ${DEFAULT-VALUE})")
    OnOff hwPriority = OnOff.on;

    @Option(names = "--device-gate", paramLabel = "on|off",
            description = "scheduled modes: the LP XQueue holds its released commands that cannot stop themselves (pooling, "
                    + "copies) behind a wait the device performs on its stop flag (NVIDIA and the simulator; default: on "
                    + "with --processes 2, where the LP process runs ungated and says so if its device cannot wait on "
                    + "memory; off in one process)")
    OnOff deviceGate;

    @Option(names = "--decide-on-submit", paramLabel = "on|off",
            description = "scheduled modes: a submission that makes a queue ready runs the policy's decision on the "
                    + "submitting thread, so a suspend of the batch job waits for no scheduling thread to wake up; that "
                    + "thread pays for the decision instead (default: on, but off in one process where every scheduled "
                    + "mode is xsched-hpf, whose online queue stops the batch kernels itself on turning ready "
                    + "(xsched.scenario.stopOnReady); unless the system property xsched.scheduler.decideOnSubmit or the "
                    + "variable XSCHED_DECIDE_ON_SUBMIT says)")
    OnOff decideOnSubmit;

    @Option(names = "--persistent-grids", paramLabel = "on|off",
            description = "scheduled modes: the batch model's yieldable TF32 convolutions and max pool are launched with as "
                    + "many blocks as the GPU holds at once, each block taking tiles in turn, so a suspend ends them once "
                    + "the running blocks reach a check; costs about 3%% of the batch job. No effect on the simulator, whose "
                    + "cost model charges per launched block (default: on, in one process and with --processes 2, unless the "
                    + "system property xsched.resnet.persistentYield says)")
    OnOff persistentGrids;

    @Option(names = "--slice", paramLabel = "yield|auto|off|K",
            description = {"how scheduled modes make the LP convolutions preemptible: yield = whole but yieldable, a "
                    + "suspend stops their blocks at the next check (cooperative yield); K = in slices of K blocks, a "
                    + "suspend takes effect after the current slices; auto = slices of 2 x compute units; off = neither. "
                    + "Default: yield (on the simulator too, which models it)"})
    String slice = ScenarioOptions.DEFAULT_SLICE;

    @Option(names = "--output", paramLabel = "DIR", description = "where results go (default results/<timestamp>/)")
    Path output;

    @Option(names = "--processes", paramLabel = "1|2",
            description = "2: ResNet-18 and ResNet-50 in two JVMs, under one scheduler server in the xsched modes (default ${DEFAULT-VALUE})")
    int processes = 1;

    @Option(names = "--lp-env", paramLabel = "NAME=VALUE",
            description = "with --processes 2: a variable added to the LP process's environment (repeatable), for example "
                    + "CUDA_MPS_ACTIVE_THREAD_PERCENTAGE=90 to leave a tenth of the SMs to the HP process under MPS, or "
                    + "CUDA_MPS_CLIENT_PRIORITY=1 to make it an MPS client of lower priority")
    Map<String, String> lpEnvironment = new LinkedHashMap<>();

    @Option(names = "--server", paramLabel = "PATH",
            description = "with --processes 2: a running server's socket ('xsched server'; its policy is switched per mode); "
                    + "default: a server in this JVM")
    Path server;

    @Option(names = "--precision", paramLabel = "tf32|fp32",
            description = "the convolutions' arithmetic (default: tf32 on NVIDIA sm_80 and newer, PyTorch's default; else fp32;"
                    + " on the simulator, the precision of the recorded H200 trace it replays: tf32 once recorded, else fp32)")
    String precision;

    DemoCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() throws Exception {
        if (processes != 1 && processes != 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--processes takes 1 or 2, got " + processes);
        }
        if (server != null && processes != 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--server needs --processes 2");
        }
        if (!lpEnvironment.isEmpty() && processes != 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--lp-env needs --processes 2");
        }
        for (String name : lpEnvironment.keySet()) {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--lp-env takes NAME=VALUE with NAME of letters, digits and _ (not starting with a digit), got '"
                                + name + "'");
            }
        }
        ScenarioOptions options = options();
        // Checked before the first mode, not when the results are written or the first scheduled
        // mode starts, minutes into the run (the default modes put it last).
        OutputFolder.requireWritable(options.output());
        if (server != null) {
            List<String> installed;
            try (ControlClient control = ControlClient.connect(server, "xsched demo")) {
                installed = control.policy().installed();
            }
            validated(() -> {
                ScenarioOptions.requireInstalledPolicies(options.modes(), installed, " on the server at " + server);
                return options;
            });
        }
        if (processes == 2) {
            dev.xsched.examples.scenario.ScenarioProcesses.run(options, server, lpEnvironment, out());
        } else {
            ScenarioBenchmark.run(options, out());
        }
        return 0;
    }

    ScenarioOptions options() {
        return validated(() -> {
            List<Mode> all = ScenarioOptions.modes(modes, policies);
            DemoTuning tuning = DemoTuning.forDemo(OnOff.asked(decideOnSubmit), OnOff.asked(persistentGrids), all, processes != 2);
            if (server == null) { // an external server's policies are its own
                ScenarioOptions.requireInstalledPolicies(all);
            }
            return new ScenarioOptions(rate, batch, duration, warmup, all, threshold,
                    batchSize, hwPriority == OnOff.on, slice, output != null ? output : ScenarioOptions.defaultOutput(),
                    precision == null ? null : ConvPrecision.parse(precision), gated(), tuning.decideOnSubmit(),
                    tuning.persistentGrids());
        });
    }

    /**
     * The device gate as asked, else on in two processes: there it shortened the online model's GPU
     * span at no cost to the batch job on the H200 (docs/multiprocess.md, rounds 18 a and 19 a,
     * single runs of 30 and 60 s; docs/device/round21.sh is to repeat them, not run yet), where in
     * one process it changed neither (round 15 e).
     */
    boolean gated() {
        return deviceGate != null ? deviceGate == OnOff.on : processes == 2;
    }
}
