package dev.xsched.examples.scenario;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
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
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's stop on turning ready ({@link StopOnReady}) on the simulated GPU, in virtual time,
 * under HPF with a manual scheduler: no decision round runs unless the test pumps one, so what
 * stops the batch kernel before the online kernel starts can only be the online queue's store.
 */
@HangGuard(seconds = 30) // a raise the batch queue never noticed would relaunch its kernel forever
class StopOnReadyTest {
    private static final long MS = 1_000_000;
    private static final String SOURCE = YieldableKernels.PRELUDE + """
            extern "C" __global__ void lp_yield(int n, XSCHED_YIELD_PARAMS) { }
            extern "C" __global__ void hp_work(int n) { }
            """;

    @TempDir
    Path folder;

    private final AtomicInteger lpBodies = new AtomicInteger();
    private final KernelRecorder recorder = new KernelRecorder();
    private final SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(4).hardwarePriority(false)
            .costModel(KernelCostModel.perKernel(Map.of("lp_yield", Duration.ofMillis(10), "hp_work", Duration.ofMillis(1)),
                    Duration.ofMillis(1)))
            .yieldCheckInterval(Duration.ofNanos(20_000))
            .kernelBody("lp_yield", (config, args, memory) -> lpBodies.incrementAndGet())
            .listener(recorder).build();
    private final VirtualClock clock = sim.virtualClock();
    private final XScheduler scheduler = XScheduler.builder().jmx(false).policy("hpf").clock(clock::nanoTime)
            .manual(() -> clock.advanceBy(10_000)).build();
    private final Device gpu = sim.device(0);
    private final HipModule module = gpu.loadModule(gpu.compiler().compile("work.hip", SOURCE));
    private final Kernel lpYield = module.function("lp_yield", ParamType.INT, ParamType.POINTER, ParamType.POINTER,
            ParamType.POINTER);
    private final Kernel hpWork = module.function("hp_work", ParamType.INT);
    private final XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1)).hint(new Hint.Priority(0));
    private final XQueue hp = scheduler.createQueue(gpu, 0, new XQueueConfig("hp", 4, 1)).hint(new Hint.Priority(10));

    @AfterEach
    void close() {
        scheduler.close();
        module.close();
        sim.close();
    }

    private void launchBatchKernel() {
        lp.launchYieldable(lpYield, LaunchConfig.of(4, 256), KernelArgs.builder().i32(0).build());
        scheduler.pump();
        clock.advanceTo(clock.nanoTime() + 2 * MS);
    }

    /** Submits one online kernel, then lets {@code millis} pass with no round (the scheduler is manual). */
    private KernelRecord onlineRequest(long millis) {
        hp.launch(hpWork, LaunchConfig.of(1, 64), KernelArgs.builder().i32(0).build());
        clock.advanceTo(clock.nanoTime() + millis * MS);
        return recorder.kernels("hp_work").getLast();
    }

    @Test
    void theOnlineQueueTurningReadyStopsTheBatchKernelWithNoRoundThenTheRoundsFinishTheBatchWorkOnce() {
        try (StopOnReady stop = StopOnReady.arm(hp, lp, folder.resolve("stop")).orElseThrow()) {
            launchBatchKernel();
            long arrival = clock.nanoTime();
            KernelRecord online = onlineRequest(3);

            assertThat(online.startNanos() - arrival).as("the batch kernel's blocks left at their next check, not after its 8 ms")
                    .isLessThan(MS / 10);
            assertThat(recorder.kernels("lp_yield").getFirst().endNanos()).isLessThanOrEqualTo(online.startNanos());

            hp.synchronize();
            for (int i = 0; i < 3; i++) {
                scheduler.pump(); // the online queue went idle: HPF lets the batch queue run again
            }
            lp.synchronize();
            assertThat(lp.stats().yielded()).isEqualTo(1);
            assertThat(lpBodies).as("the batch work done once").hasValue(1);

            launchBatchKernel(); // armed again: the next request stops the next batch kernel
            long second = clock.nanoTime();
            assertThat(onlineRequest(3).startNanos() - second).isLessThan(MS / 10);
            hp.synchronize();
            scheduler.pump();
            lp.synchronize();
            assertThat(lpBodies).hasValue(2);
        }
    }

    @Test
    void afterCloseTheOnlineQueueStoresNoMoreAndTheFileGoesWithTheBatchQueue() {
        Optional<StopOnReady> stop = StopOnReady.arm(hp, lp, folder.resolve("stop"));
        assertThat(stop).isPresent();
        Path file = stop.orElseThrow().path();
        assertThat(file).exists();
        stop.orElseThrow().close();

        launchBatchKernel();
        long arrival = clock.nanoTime();
        KernelRecord online = onlineRequest(12);
        assertThat(online.startNanos() - arrival).as("no store and no round: the online kernel waited for the batch kernel")
                .isGreaterThan(7 * MS);
        assertThat(lp.stats().yielded()).isZero();

        hp.synchronize();
        lp.close();
        assertThat(Files.exists(file)).as("deleted once the batch queue gave its word back").isFalse();
    }

    @Test
    void whereTheFileCannotBeMadeTheModeRunsWithoutTheStopAndSaysWhy() throws Exception {
        Path taken = Files.createFile(folder.resolve("taken"));
        List<AutoCloseable> resources = new ArrayList<>();
        String note = ModeRunner.armStopOnReady(hp, lp, resources, taken);

        assertThat(note).startsWith("the online queue's stop on turning ready is off: cannot create the stop-word file "
                + taken);
        assertThat(resources).isEmpty();
        assertThat(StopOnReady.arm(hp, lp, folder.resolve("free"))).as("nothing was left armed: a later arm is taken")
                .isPresent();
    }

    @Test
    void theDemosFilesAreNamedApartFromTheCrossProcessStopsAndFromEachOther() {
        Path first = StopOnReady.nextPath();
        Path second = StopOnReady.nextPath();
        assertThat(first).isNotEqualTo(second);
        assertThat(first.getParent()).isEqualTo(dev.xsched.core.coordination.StopWordFile.defaultPath().getParent());
        assertThat(first.getFileName().toString()).startsWith(
                dev.xsched.core.coordination.StopWordFile.defaultPath().getFileName() + "-demo-");
    }
}
