package dev.xsched.core;

import dev.xsched.core.fake.TimedHolds;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.Device;
import dev.xsched.hip.Event;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.hip.sim.VirtualClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * The same kind of random interleavings as {@link XQueuePropertiesTest}, on the simulated GPU in
 * virtual time: kernels really occupy compute units for their duration, the kernel body records
 * which command ran, and the scheduler's clock is the simulator's. Invariants: every submitted
 * kernel runs exactly once, in per-queue order; synchronize returns only after every earlier
 * kernel ran; in-flight never exceeds the threshold; nothing deadlocks. Some queues hold their
 * released kernels behind the device gate ({@link XQueueConfig#deviceGate()}), whose flag the
 * holds raise and lower at random moments.
 */
class SimulatedXQueuePropertiesTest {
    private static final String SOURCE = "extern \"C\" __global__ void tagged(int queue, int tag) { }";

    @Test
    void randomScenariosOnTheSimulatedGpuKeepEveryInvariant() {
        qt().withExamples(1000)
                .forAll(lists().of(integers().between(0, 1 << 20)).ofSizeBetween(1, 50), integers().between(1, 8))
                .checkAssert(this::runScenario);
    }

    private void runScenario(List<Integer> ops, int computeUnits) {
        Map<Integer, List<Integer>> ran = new HashMap<>();
        SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(computeUnits).hardwarePriority(computeUnits % 2 == 0)
                .defaultBlockDuration(java.time.Duration.ofNanos(50_000))
                .kernelBody("tagged", (config, args, memory) ->
                        ran.computeIfAbsent((int) args.bits(0), q -> new ArrayList<>()).add((int) args.bits(1)))
                .build();
        VirtualClock clock = sim.virtualClock();
        TimedHolds holds = new TimedHolds();
        Map<Long, Long> holdUntil = holds.holdUntil;
        XScheduler scheduler = XScheduler.builder().jmx(false).clock(clock::nanoTime).policy(holds)
                .manual(() -> clock.advanceBy(10_000)).build();
        Device gpu = sim.device(0);
        try (HipModule module = gpu.loadModule(gpu.compiler().compile("tagged.hip", SOURCE))) {
            Kernel kernel = module.function("tagged", ParamType.INT, ParamType.INT);
            List<XQueue> queues = new ArrayList<>();
            Map<Integer, List<Integer>> submitted = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                int threshold = 1 + (computeUnits * (i + 2)) % 6;
                queues.add(scheduler.createQueue(gpu, gpu.streamPriorityRange().clamp(-i),
                        new XQueueConfig("q" + i, threshold, 1 + threshold / 2).withDeviceGate((computeUnits + i) % 2 == 0)));
                submitted.put(i, new ArrayList<>());
            }
            int tag = 0;
            for (int v : ops) {
                int index = (v >> 4) % queues.size();
                XQueue q = queues.get(index);
                switch (v % 12) {
                    case 0, 1, 2, 3, 4 -> {
                        int grid = 1 + (v >> 8) % (2 * computeUnits);
                        q.launch(kernel, LaunchConfig.of(grid, 64), KernelArgs.builder().i32(index).i32(++tag).build());
                        submitted.get(index).add(tag);
                    }
                    case 5 -> {
                        holdUntil.put(q.id(), clock.nanoTime() + 10_000L * ((v >> 8) % 30));
                        q.hint(new Hint.Priority((v >> 8) % 100));
                    }
                    case 6 -> {
                        q.synchronize();
                        assertThat(ran.getOrDefault(index, List.of())).as("synchronize covers every earlier kernel")
                                .isEqualTo(submitted.get(index));
                    }
                    case 7 -> {
                        XQueue other = queues.get((v >> 8) % queues.size());
                        Event event = gpu.createEvent();
                        q.record(event);
                        other.waitFor(event);
                    }
                    case 8 -> clock.advanceBy(5_000L * ((v >> 8) % 20));
                    default -> scheduler.pump();
                }
                for (XQueue each : queues) {
                    assertThat(each.stats().inFlight()).as("in flight on %s", each.name())
                            .isLessThanOrEqualTo(each.config().threshold());
                }
            }
            holdUntil.clear();
            for (XQueue q : queues) {
                q.hint(new Hint.Priority(0));
                q.synchronize();
            }
            for (int i = 0; i < queues.size(); i++) {
                assertThat(ran.getOrDefault(i, List.of())).as("q%d ran every kernel exactly once, in order", i)
                        .isEqualTo(submitted.get(i));
            }
        } finally {
            scheduler.close();
            sim.close();
        }
    }
}
