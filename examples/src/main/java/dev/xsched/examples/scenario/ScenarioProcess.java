package dev.xsched.examples.scenario;

import dev.xsched.core.XQueue;
import dev.xsched.core.XScheduler;
import dev.xsched.examples.bench.Mode;
import dev.xsched.examples.resnet.ConvPrecision;
import dev.xsched.examples.resnet.ResNet;
import dev.xsched.examples.resnet.ResNetArchitecture;
import dev.xsched.examples.resnet.SlicePolicy;
import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.PriorityRange;
import dev.xsched.hip.Stream;
import dev.xsched.ipc.client.ClientOptions;
import dev.xsched.ipc.client.ServerDecisionSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * One side of the scenario in a process of its own ({@code xsched demo --processes 2}): the
 * high-priority ResNet-18 or the low-priority ResNet-50, on its own queue, scheduled by the server
 * at the given socket in the xsched modes. Talks to {@link ScenarioProcesses} over stdin/stdout:
 * prints {@code ready <platform line>}, waits for {@code start <nanoTime>}, then prints its
 * latencies ({@code latency <ns>}), the HP side its requests' breakdown ({@code breakdown <csv row>},
 * {@link RequestBreakdown}), the LP side in the xsched modes its marks ({@link LpMarks.Mark#line()}),
 * and {@code done <hpRequests> <lpIterations> <lpBatch>}.
 *
 * <p>Arguments ({@link #arguments}): {@code hp|lp MODE SOCKET RATE BATCH SECONDS WARMUP THRESHOLD
 * BATCH-SIZE HW-PRIORITY SLICE PRECISION DEVICE-GATE DECIDE-ON-SUBMIT PERSISTENT-GRIDS} (PRECISION:
 * {@code tf32}, {@code fp32} or {@value #DEFAULT_PRECISION}; the switches {@code true} or
 * {@code false}). The options travel as arguments, not as system properties, so that the parent's
 * choice is the one the process runs with.
 */
public final class ScenarioProcess {
    /** How a line of the HP process's breakdown begins. */
    static final String BREAKDOWN = "breakdown ";
    /** The PRECISION argument that means the device's default (on the simulator: the replayed trace's). */
    static final String DEFAULT_PRECISION = "default";
    /** How a line begins that the parent shows as it is, before "ready". */
    static final String NOTE = "note ";
    /** The note of an LP process that was asked for the device gate and runs without it. */
    static final String UNGATED = "no device gate: ";

    private ScenarioProcess() {
    }

    private static boolean canWaitOnMemory(Device device) {
        try (Stream probe = device.createStream()) {
            return probe.supportsMemoryWait();
        }
    }

    /**
     * The arguments of the process for one side of {@code mode} ({@link #options} reads them back).
     *
     * @param side   {@code hp} or {@code lp}
     * @param socket the scheduler server's socket, or null where the mode has none
     */
    static List<String> arguments(String side, Mode mode, Path socket, ScenarioOptions o) {
        return List.of(side, mode.label(), socket == null ? "-" : socket.toString(), Double.toString(o.rate()),
                Integer.toString(o.lpBatch()), Double.toString(o.seconds()), Double.toString(o.warmup()),
                Integer.toString(o.threshold()), Integer.toString(o.batchSize()), Boolean.toString(o.hwPriority()), o.slice(),
                o.precision() == null ? DEFAULT_PRECISION : o.precision().label(), Boolean.toString(o.deviceGate()),
                Boolean.toString(o.decideOnSubmit()), Boolean.toString(o.persistentGrids()));
    }

    /** The options {@link #arguments} gave, for the one mode they name; the output folder is the parent's business. */
    static ScenarioOptions options(String[] args) {
        return new ScenarioOptions(Double.parseDouble(args[3]), Integer.parseInt(args[4]), Double.parseDouble(args[5]),
                Double.parseDouble(args[6]), List.of(Mode.parse(args[1])), Integer.parseInt(args[7]), Integer.parseInt(args[8]),
                Boolean.parseBoolean(args[9]), args[10], Path.of("."),
                args[11].equals(DEFAULT_PRECISION) ? null : ConvPrecision.parse(args[11]), Boolean.parseBoolean(args[12]),
                Boolean.parseBoolean(args[13]), Boolean.parseBoolean(args[14]));
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        boolean hpSide = args[0].equals("hp");
        // A parent killed outright (SIGKILL, a crash) cannot end this process: it ends itself.
        ParentWatch.exitWhenParentEnds(hpSide ? "HP" : "LP");
        ScenarioOptions options = options(args);
        Mode mode = options.modes().getFirst();
        Path socket = Path.of(args[2]);
        HipPlatform platform = Hip.platformOrSimulator();
        String note = "";
        if (platform.isSimulated()) {
            // The same trace as the parent's, so both sides plan and time the same kernels.
            platform = ScenarioBenchmark.simulatedH200(RecordedTrace.choose(options.precision()));
            note = " [SIMULATED: this process simulates its own GPU]";
        }
        Device device = platform.device(0);
        int lpBatch = ScenarioBenchmark.fittingBatch(device, options.lpBatch(), System.err);
        boolean scheduled = mode instanceof Mode.Scheduled;
        if (!hpSide && scheduled && options.deviceGate() && !canWaitOnMemory(device)) {
            out.println(NOTE + UNGATED + device.name() + "'s streams cannot wait on device memory, which the gate needs;"
                    + " the batch model's queue runs ungated");
            options = options.withDeviceGate(false);
        }
        ConvPrecision precision = options.precision() != null ? options.precision() : ConvPrecision.defaultFor(device);
        try (ScenarioBenchmark.Model model = hpSide
                ? new ScenarioBenchmark.Model(ResNet.build(device, ResNetArchitecture.RESNET18, 1, 18, precision, false),
                        SlicePolicy.none(), false)
                : new ScenarioBenchmark.Model(ResNet.build(device, ResNetArchitecture.RESNET50, lpBatch, 50, precision,
                        options.persistentGrids()), ScenarioBenchmark.slicePolicy(options.slice(), device),
                        options.slice().equals("yield"))) {
            if (!platform.isSimulated()) {
                try (Stream upload = device.createStream()) {
                    model.resnet().uploadInput(upload, ResNet.randomImages(model.resnet().network(), model.batch(), hpSide ? 1 : 2));
                }
            }
            AutoCloseable owner;
            CommandQueue queue;
            Supplier<SocketTraffic> traffic = () -> SocketTraffic.NONE;
            if (scheduled) {
                String name = "scenario-" + args[0];
                // The cross-process stop on unless XSCHED_REMOTE_STOP says otherwise: the model's
                // modules are loaded above, before the queue exists, and hip-ffm's device-wide calls
                // while it is armed let its wait go; ClientOptions#remoteStop says which calls would
                // still wait for the word (those made outside hip-ffm).
                ServerDecisionSource source = new ServerDecisionSource(socket, name, ClientOptions.fromEnvironment(true));
                traffic = hpSide ? SocketTraffic.ofHp(source) : SocketTraffic.ofLp(source);
                XScheduler scheduler = XScheduler.builder().name(name).decisionSource(source).jmx(false)
                        .decideOnSubmit(options.decideOnSubmit()).build();
                owner = scheduler;
                queue = hpSide ? ModeRunner.hpQueue(scheduler, device, options) : ModeRunner.lpQueue(scheduler, device, options);
                if (!hpSide && options.deviceGate()) {
                    // Before "ready": the HP process sends no request before the parent says start,
                    // so nothing can raise the gate while the batch model makes its first calls.
                    out.println(NOTE + ModeRunner.warmBeforeTheGateCanClose(model, queue));
                }
            } else {
                PriorityRange range = device.streamPriorityRange();
                Stream stream = device.createStream(hpSide && mode.equals(Mode.NATIVE_PRIORITY) ? range.greatest() : range.least());
                owner = stream;
                queue = stream;
            }
            try (owner) {
                out.println("ready platform " + platform.name() + ", device " + device.name() + " (" + device.architecture()
                        + ")" + note);
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String start = in.readLine();
                if (start == null || !start.startsWith("start ")) {
                    throw new IllegalStateException("expected 'start NANOS', got " + start);
                }
                long startNanos = Long.parseLong(start.substring(6));
                // Two processes stop the batch kernels with the scheduler server's raise lists, not StopOnReady.
                ModeRunner runner = new ModeRunner(device, hpSide ? model : null, hpSide ? null : model, options, System.err,
                        traffic, false);
                LpMarks.Sampler marks = !hpSide && queue instanceof XQueue lpX
                        ? LpMarks.start(lpX, traffic, startNanos, ModeRunner.period(options),
                        ModeRunner.secondsToNanos(options.warmup()), ModeRunner.secondsToNanos(options.seconds()))
                        : null;
                ModeResult result = runner.measure(mode, hpSide ? queue : null, hpSide ? null : queue, scheduled, startNanos);
                for (long nanos : result.hp().sorted()) {
                    out.println("latency " + nanos);
                }
                for (RequestBreakdown.Row row : runner.breakdown()) {
                    out.println(BREAKDOWN + row.csv());
                }
                if (marks != null) {
                    marks.finish().forEach(m -> out.println(m.line()));
                }
                out.println("done " + result.hpRequests() + " " + result.lpIterations() + " " + model.batch());
            }
        }
    }
}
