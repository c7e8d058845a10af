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
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cooperative yield end to end on the simulated GPU, in virtual time: an XQueue's suspend raises
 * its stop flag, the simulator stops the low-priority kernel's 20 ms blocks at their next 20 us
 * check, the high-priority kernel runs at once, and on resume the low-priority kernel is launched
 * again and finishes its work exactly once.
 */
class SimulatedYieldTest {
    private static final long MS = 1_000_000;
    private static final String SOURCE = YieldableKernels.PRELUDE + """
            extern "C" __global__ void lp_work(int n, XSCHED_YIELD_PARAMS) { }
            extern "C" __global__ void hp_work(int n) { }
            """;

    @Test
    void aSuspendStopsTheRunningLowPriorityBlocksAtTheirNextCheck() {
        try (Fixture f = new Fixture()) {
            f.lp.launchYieldable(f.lpWork, LaunchConfig.of(8, 256), KernelArgs.builder().i32(1).build());
            f.scheduler.pump();
            f.clock.advanceTo(5 * MS);
            f.scheduler.pump();
            long arrival = f.clock.nanoTime();
            f.hp.launch(f.hpWork, LaunchConfig.of(1, 64), KernelArgs.builder().i32(1).build());
            f.hp.synchronize();
            f.lp.synchronize();

            KernelRecord online = f.recorder.only("hp_work");
            assertThat(online.startNanos() - arrival).as("the online kernel waits for a check (20 us) and the flag, "
                    + "not for a 20 ms block").isLessThan(MS / 10);
            assertThat(f.lp.stats().yielded()).isPositive();
            assertThat(f.lpBodies).as("the yieldable kernel's work is done exactly once").hasValue(1);
            assertThat(f.recorder.kernels("lp_work")).as("stopped once, launched again once").hasSize(2);
        }
    }

    @Test
    void aLaunchStoppedTwiceIsRecordedBothTimesAndFinishesItsWorkOnce() {
        // Each stop of a launch writes its record through the launch's stop latch; the relaunch
        // must find the latch down again, or its stop goes unrecorded and the unfinished blocks
        // count as done (the simulator keeps the latch as the prelude does).
        try (Fixture f = new Fixture()) {
            f.lp.launchYieldable(f.lpWork, LaunchConfig.of(8, 256), KernelArgs.builder().i32(1).build());
            for (long at : new long[] {5 * MS, 12 * MS}) {
                f.scheduler.pump();
                f.clock.advanceTo(Math.max(at, f.clock.nanoTime()));
                f.scheduler.pump();
                f.hp.launch(f.hpWork, LaunchConfig.of(1, 64), KernelArgs.builder().i32(1).build());
                f.hp.synchronize();
            }
            f.lp.synchronize();

            assertThat(f.recorder.kernels("hp_work")).hasSize(2);
            assertThat(f.recorder.kernels("lp_work")).as("stopped twice, launched three times").hasSize(3);
            assertThat(f.lp.stats().yielded()).isEqualTo(2);
            assertThat(f.lpBodies).as("the yieldable kernel's work is done exactly once, after the last relaunch").hasValue(1);
        }
    }

    @Test
    void theRoundsAndTheStopFlagsWritesReachARecordingThatAsksForThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rounds.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.xsched.DecisionRound");
            recording.enable("dev.xsched.StopFlagWrite");
            recording.start();
            try (Fixture f = new Fixture()) {
                f.lp.launchYieldable(f.lpWork, LaunchConfig.of(8, 256), KernelArgs.builder().i32(1).build());
                f.scheduler.pump();
                f.clock.advanceTo(5 * MS);
                f.scheduler.pump();
                f.hp.launch(f.hpWork, LaunchConfig.of(1, 64), KernelArgs.builder().i32(1).build());
                f.hp.synchronize();
                f.lp.synchronize();
                assertThat(f.lp.stats().yielded()).isPositive();
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<RecordedEvent> rounds = events.stream().filter(e -> e.getEventType().getName().equals("dev.xsched.DecisionRound")).toList();
        assertThat(rounds).as("every round, the close's included").isNotEmpty()
                .allSatisfy(round -> {
                    assertThat(round.getLong("statesNanos")).isNotNegative();
                    assertThat(round.getLong("decidingNanos")).isNotNegative();
                    assertThat(round.getDuration().toNanos()).isGreaterThanOrEqualTo(
                            round.getLong("statesNanos") + round.getLong("decidingNanos"));
                });
        assertThat(rounds).as("the round that suspended the batch queue").anySatisfy(round -> {
            assertThat(round.getString("policy")).isEqualTo("online-first");
            assertThat(round.getInt("queues")).isEqualTo(2);
            assertThat(round.getInt("changed")).isPositive();
        });
        List<String> writes = events.stream().filter(e -> e.getEventType().getName().equals("dev.xsched.StopFlagWrite"))
                .map(e -> e.getString("queue") + (e.getBoolean("raised") ? " up" : " down")).toList();
        assertThat(writes).as("the suspend raised the batch queue's flag, the resume lowered it").containsSubsequence("lp up", "lp down");
    }

    /**
     * A simulated GPU whose low-priority kernel has 20 ms blocks checked every 20 us, in virtual
     * time, under a scheduler that runs the online queue first, with one queue per model.
     */
    private static final class Fixture implements AutoCloseable {
        final AtomicInteger lpBodies = new AtomicInteger();
        final KernelRecorder recorder = new KernelRecorder();
        final SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(4)
                .costModel(KernelCostModel.perKernel(Map.of("lp_work", Duration.ofMillis(20), "hp_work", Duration.ofMillis(1)),
                        Duration.ofMillis(1)))
                .yieldCheckInterval(Duration.ofNanos(20_000))
                .kernelBody("lp_work", (config, args, memory) -> lpBodies.incrementAndGet())
                .listener(recorder).build();
        final VirtualClock clock = sim.virtualClock();
        final XScheduler scheduler = XScheduler.builder().jmx(false).clock(clock::nanoTime).policy(new OnlineFirst())
                .manual(() -> clock.advanceBy(10_000)).build();
        final HipModule module;
        final Kernel lpWork;
        final Kernel hpWork;
        final XQueue lp;
        final XQueue hp;

        Fixture() {
            Device gpu = sim.device(0);
            module = gpu.loadModule(gpu.compiler().compile("work.hip", SOURCE));
            lpWork = module.function("lp_work", ParamType.INT, ParamType.POINTER, ParamType.POINTER, ParamType.POINTER);
            hpWork = module.function("hp_work", ParamType.INT);
            lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 2));
            hp = scheduler.createQueue(gpu, 0, new XQueueConfig("hp", 4, 2));
        }

        @Override
        public void close() {
            try {
                scheduler.close();
                module.close();
            } finally {
                sim.close();
            }
        }
    }
}
