package dev.xsched.examples.cli;

import dev.xsched.examples.bench.Mode;
import dev.xsched.examples.scenario.BlasScenario;
import dev.xsched.examples.scenario.ScenarioOptions;
import dev.xsched.hip.Hip;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code xsched example blas}: {@link BlasScenario}. */
@Command(name = "blas", sortOptions = false,
        description = {"TF32 GEMMs through cuBLAS as a batch job beside the online ResNet-18, in every mode",
                "A batch job of N^3 TF32 GEMMs through cuBLAS (low priority, back to back) beside ResNet-18 (batch 1, "
                        + "high priority, a fixed request rate, open loop), in the modes standalone-hp, standalone-lp, "
                        + "native, native-priority and xsched-hpf; per mode the HP P99 against standalone and the GEMM "
                        + "rate against standalone. Library kernels cannot be sliced or yield: XSched gates them and "
                        + "uses hardware priority (docs/libraries.md). Needs cuBLAS (exit 2 where there is none)."})
final class ExampleBlasCommand extends Subcommand {
    @Option(names = "--size", paramLabel = "N", description = "GEMM size of the batch job, N x N x N (default ${DEFAULT-VALUE})")
    int size = BlasScenario.Options.DEFAULT_SIZE;

    @Option(names = "--rate", paramLabel = "R", description = "online requests per second (default ${DEFAULT-VALUE})")
    double rate = ScenarioOptions.DEFAULT_RATE;

    @Option(names = "--duration", paramLabel = "S", description = "measured seconds per mode (default ${DEFAULT-VALUE})")
    double duration = BlasScenario.Options.DEFAULT_SECONDS;

    @Option(names = "--warmup", paramLabel = "S", description = "unmeasured seconds before each mode (default ${DEFAULT-VALUE})")
    double warmup = BlasScenario.Options.DEFAULT_WARMUP;

    @Option(names = "--modes", paramLabel = "MODE", split = ",", converter = ModeConverter.class,
            description = {"the modes, in order: standalone-hp, standalone-lp, native, native-priority, xsched-POLICY",
                    "(default ${DEFAULT-VALUE})"})
    List<Mode> modes = new ArrayList<>(ScenarioOptions.DEFAULT_MODES);

    @Option(names = "--threshold", paramLabel = "N", split = ",",
            description = {"calls (GEMMs or panels) in flight on the batch XQueue; a list runs the scheduled modes once "
                    + "per value (default ${DEFAULT-VALUE})"})
    List<Integer> threshold = new ArrayList<>(List.of(BlasScenario.Options.DEFAULT_THRESHOLD));

    @Option(names = "--panels", paramLabel = "P", split = ",",
            description = {"scheduled modes: each GEMM as P column-panel GEMMs, so the XQueue can also stop between "
                    + "panels; a list runs the scheduled modes once per value and --threshold value "
                    + "(default ${DEFAULT-VALUE}: whole GEMMs)"})
    List<Integer> panels = new ArrayList<>(List.of(BlasScenario.Options.DEFAULT_PANELS));

    @Option(names = "--split", paramLabel = "n|k",
            description = {"how --panels cuts each GEMM: n = column panels, C[:, j0:j1] = A B[:, j0:j1]; k = depth panels, "
                    + "C += A[:, l0:l1] B[l0:l1, :], whose thread blocks are P times shorter, so an online kernel waits "
                    + "less for an SM beside a panel running, for one more pass over C per panel (default ${DEFAULT-VALUE})"})
    String split = BlasScenario.Split.COLUMNS.option;

    @Option(names = "--device-gate", paramLabel = "on|off",
            description = {"scheduled modes: the batch XQueue holds its released calls behind a wait the device performs "
                    + "on its stop flag, so a suspend waits for the call running only, whatever --threshold "
                    + "(NVIDIA and the simulator; default ${DEFAULT-VALUE})"})
    OnOff deviceGate = OnOff.off;

    @Option(names = "--online", paramLabel = "resnet18|gemm:N",
            description = "the online model: ResNet-18, or one N^3 FP32 GEMM per request (default ${DEFAULT-VALUE})")
    String online = "resnet18";

    ExampleBlasCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() throws InterruptedException {
        return BlasScenario.run(options(), Hip.platformOrSimulator(), out());
    }

    BlasScenario.Options options() {
        return validated(() -> new BlasScenario.Options(size, online, BlasScenario.Options.settings(panels, threshold),
                BlasScenario.Split.parse(split),
                BlasScenario.Options.scenario(rate, duration, warmup, modes).withDeviceGate(deviceGate == OnOff.on)));
    }
}
