package dev.xsched.core;

import dev.xsched.hip.Device;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.YieldableKernels;
import dev.xsched.hip.sim.KernelCostModel;
import dev.xsched.hip.sim.KernelRecord;
import dev.xsched.hip.sim.KernelRecorder;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.hip.sim.VirtualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The device gate ({@link XQueueConfig#deviceGate()}) end to end on the simulated GPU, in virtual
 * time and without hardware stream priorities: released kernels that cannot stop themselves, 10 ms
 * each and filling the device, four in flight; a suspend holds the three not yet started behind
 * the stop flag, so the online kernel waits for the one running only, and on resume the held ones
 * run, in order, each once.
 */
class DeviceGateTest {
    private static final long MS = 1_000_000;
    private static final String SOURCE = YieldableKernels.PRELUDE + """
            extern "C" __global__ void lp_work(int n) { }
            extern "C" __global__ void lp_yield(int n, XSCHED_YIELD_PARAMS) { }
            extern "C" __global__ void hp_work(int n) { }
            """;

    private final AtomicInteger lpBodies = new AtomicInteger();
    private final KernelRecorder recorder = new KernelRecorder();
    private final SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(4).hardwarePriority(false)
            .costModel(KernelCostModel.perKernel(Map.of("lp_work", Duration.ofMillis(10), "lp_yield", Duration.ofMillis(10),
                    "hp_work", Duration.ofMillis(1)), Duration.ofMillis(1)))
            .yieldCheckInterval(Duration.ofNanos(20_000))
            .kernelBody("lp_work", (config, args, memory) -> lpBodies.incrementAndGet())
            .listener(recorder).build();
    private final VirtualClock clock = sim.virtualClock();
    private final XScheduler scheduler = XScheduler.builder().jmx(false).clock(clock::nanoTime).policy(new OnlineFirst())
            .manual(() -> clock.advanceBy(10_000)).build();
    private final Device gpu = sim.device(0);
    private final HipModule module = gpu.loadModule(gpu.compiler().compile("work.hip", SOURCE));
    private final Kernel lpWork = module.function("lp_work", ParamType.INT);
    private final Kernel hpWork = module.function("hp_work", ParamType.INT);

    @AfterEach
    void close() {
        scheduler.close();
        module.close();
        sim.close();
    }

    /** Four device-filling LP kernels released, then an HP kernel at 5 ms; returns the HP kernel's wait. */
    private long hpWaitBehindFourLpKernels(XQueue lp, XQueue hp) {
        for (int i = 0; i < 4; i++) {
            lp.launch(lpWork, LaunchConfig.of(4, 256), KernelArgs.builder().i32(i).build());
        }
        scheduler.pump();
        assertThat(lp.stats().inFlight()).as("all four released").isEqualTo(4);
        clock.advanceTo(5 * MS);
        scheduler.pump();
        long arrival = clock.nanoTime();
        hp.launch(hpWork, LaunchConfig.of(1, 64), KernelArgs.builder().i32(0).build());
        hp.synchronize();
        lp.synchronize();
        return recorder.only("hp_work").startNanos() - arrival;
    }

    @Test
    void aSuspendHoldsTheReleasedKernelsThatHaveNotStartedAndTheyRunOnceOnResume() {
        XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1).withDeviceGate(true));
        XQueue hp = scheduler.createQueue(gpu, 0, new XQueueConfig("hp", 4, 1));

        long wait = hpWaitBehindFourLpKernels(lp, hp);

        assertThat(wait).as("the online kernel waits for the LP kernel running (5 ms left), not for the three released after it")
                .isBetween(5 * MS - MS / 10, 5 * MS + MS / 2);
        List<KernelRecord> lpRuns = recorder.kernels("lp_work");
        assertThat(lpRuns).hasSize(4);
        assertThat(lpBodies).as("each held kernel ran exactly once").hasValue(4);
        KernelRecord online = recorder.only("hp_work");
        assertThat(lpRuns.subList(1, 4)).as("the held ones start after the online kernel")
                .allSatisfy(r -> assertThat(r.startNanos()).isGreaterThanOrEqualTo(online.endNanos()));
        assertThat(lpRuns).extracting(KernelRecord::launchId).isSorted();
        assertThat(lp.stats().completed()).isEqualTo(4);
    }

    @Test
    void withoutTheGateTheOnlineKernelWaitsForEveryReleasedKernel() {
        XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1));
        XQueue hp = scheduler.createQueue(gpu, 0, new XQueueConfig("hp", 4, 1));

        long wait = hpWaitBehindFourLpKernels(lp, hp);

        assertThat(wait).as("35 ms: the rest of the first and all of the three released after it").isGreaterThanOrEqualTo(35 * MS);
    }

    @Test
    void yieldableLaunchesBehindAGateRunOnceTheGateOpensAndStopAsBeforeOtherwise() {
        Kernel lpYield = module.function("lp_yield", ParamType.INT, ParamType.POINTER, ParamType.POINTER, ParamType.POINTER);
        XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1).withDeviceGate(true));
        XQueue hp = scheduler.createQueue(gpu, 0, new XQueueConfig("hp", 4, 1));
        lp.launch(lpWork, LaunchConfig.of(4, 256), KernelArgs.builder().i32(0).build());
        lp.launch(lpWork, LaunchConfig.of(4, 256), KernelArgs.builder().i32(1).build());
        lp.launchYieldable(lpYield, LaunchConfig.of(4, 256), KernelArgs.builder().i32(2).build());
        scheduler.pump();
        clock.advanceTo(5 * MS);
        scheduler.pump();
        hp.launch(hpWork, LaunchConfig.of(1, 64), KernelArgs.builder().i32(0).build());
        hp.synchronize();
        lp.synchronize();

        assertThat(lpBodies).hasValue(2);
        KernelRecord online = recorder.only("hp_work");
        assertThat(recorder.kernels("lp_work").get(1).startNanos()).isGreaterThanOrEqualTo(online.endNanos());
        assertThat(recorder.kernels("lp_yield")).as("behind the gate it had not started: it ran once, unstopped").hasSize(1);
        assertThat(lp.stats().completed()).isEqualTo(3);
    }

    @Test
    void closingASuspendedQueueLetsWhatTheGateHoldsRun() {
        XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1).withDeviceGate(true));
        XQueue hp = scheduler.createQueue(gpu, 0, new XQueueConfig("hp", 4, 1));
        for (int i = 0; i < 3; i++) {
            lp.launch(lpWork, LaunchConfig.of(4, 256), KernelArgs.builder().i32(i).build());
        }
        scheduler.pump();
        // A long online kernel keeps lp suspended while lp closes.
        hp.launch(module.function("hp_work", ParamType.INT), LaunchConfig.of(1, 64), KernelArgs.builder().i32(0).build());
        scheduler.pump();
        lp.close(CloseMode.DROP);

        assertThat(lpBodies).as("released work cannot be recalled: it ran").hasValue(3);
    }

    @Test
    void theGateNeedsCooperativeYieldAndAStreamThatCanWaitForMemory() {
        assertThatThrownBy(() -> new XQueueConfig("q", 4, 2, false, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cooperative yield");
        assertThat(new XQueueConfig("q", 4, 2).withDeviceGate(true).withThreshold(2).deviceGate()).isTrue();
        assertThat(XQueueConfig.defaults("q").deviceGate()).isFalse();
    }
}
