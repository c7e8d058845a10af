package dev.xsched.hip.sim;

import dev.xsched.hip.Device;
import dev.xsched.hip.Event;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.Stream;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Random programs of launches, cross-stream waits and clock advances over several streams of
 * random priorities: whatever the policy, every launch runs exactly once, each stream keeps its
 * order, waits hold, and the device never runs more blocks than it has slots.
 */
class SimPropertyTest {
    private static final int STREAMS = 4;

    /** One random program, decoded from integers, and what it launched. */
    private static final class Program {
        final SimulatedPlatform sim;
        final KernelRecorder recorder = new KernelRecorder();
        final List<Integer> bodyRuns = new ArrayList<>();
        final List<Integer> launchStream = new ArrayList<>();
        final List<Integer> completionOrder = new ArrayList<>();
        /** For each wait: the last launch of the recording stream before it, the first launch after it on the waiting stream. */
        final List<int[]> waits = new ArrayList<>();
        final List<int[]> pendingWaits = new ArrayList<>();

        Program(int computeUnits, boolean hardwarePriority) {
            sim = SimulatedPlatform.builder().computeUnits(computeUnits).hardwarePriority(hardwarePriority)
                    .listener(recorder)
                    .kernelBody("work", (config, args, memory) -> {
                        int launch = (int) args.bits(0);
                        bodyRuns.set(launch, bodyRuns.get(launch) + 1);
                        completionOrder.add(launch);
                    }).build();
        }

        void run(List<Integer> ops) {
            Device gpu = sim.device(0);
            Kernel work = SimKit.work(gpu);
            List<Stream> streams = new ArrayList<>();
            for (int s = 0; s < STREAMS; s++) {
                streams.add(gpu.createStream(-(s % 3))); // priorities 0, -1, -2, 0
            }
            Map<Integer, Integer> lastLaunchOf = new HashMap<>();
            for (int op : ops) {
                int kind = op % 10;
                int stream = (op / 10) % STREAMS;
                if (kind < 7) {
                    int blocks = 1 + (op / 100) % 12;
                    long micros = 1 + (op / 1200) % 5;
                    int launch = bodyRuns.size();
                    bodyRuns.add(0);
                    launchStream.add(stream);
                    streams.get(stream).launch(SimulatedPlatform.withBlockDuration(work, Duration.ofNanos(micros * 1000)),
                            LaunchConfig.of(blocks, 32), KernelArgs.builder().i32(launch).build());
                    lastLaunchOf.put(stream, launch);
                    int current = launch;
                    pendingWaits.removeIf(w -> {
                        if (w[2] == stream) {
                            waits.add(new int[] {w[0], current});
                            return true;
                        }
                        return false;
                    });
                } else if (kind == 7) {
                    int waiter = (stream + 1 + (op / 10 / STREAMS) % (STREAMS - 1)) % STREAMS;
                    Event event = gpu.createEvent();
                    streams.get(stream).record(event);
                    streams.get(waiter).waitFor(event);
                    if (lastLaunchOf.containsKey(stream)) {
                        pendingWaits.add(new int[] {lastLaunchOf.get(stream), -1, waiter});
                    }
                } else {
                    sim.virtualClock().advanceBy((op / 10) % 7_000);
                }
            }
            sim.virtualClock().runUntilIdle();
            streams.forEach(s -> assertThat(s.isIdle()).isTrue());
        }
    }

    @Test
    void everyLaunchRunsOnceInStreamOrderWithinTheSlots() {
        qt().withExamples(250).forAll(integers().between(1, 6), booleans().all(),
                        lists().of(integers().between(0, Integer.MAX_VALUE)).ofSizeBetween(1, 40))
                .checkAssert((computeUnits, hardwarePriority, ops) -> {
                    Program program = new Program(computeUnits, hardwarePriority);
                    program.run(ops);
                    check(program, computeUnits);
                });
    }

    private static void check(Program program, int slots) {
        int launches = program.bodyRuns.size();
        assertThat(program.bodyRuns).as("body runs per launch").allMatch(runs -> runs == 1);

        List<KernelRecord> records = program.recorder.kernels();
        assertThat(records).hasSize(launches);
        Map<Long, KernelRecord> byLaunchArg = new HashMap<>();
        // Launch ids increase in submission order, as the launch indexes do.
        List<KernelRecord> bySubmission = records.stream().sorted(Comparator.comparingLong(KernelRecord::launchId)).toList();
        for (int launch = 0; launch < launches; launch++) {
            byLaunchArg.put((long) launch, bySubmission.get(launch));
        }

        // Each stream completes its launches in submission order, one after the other.
        for (int stream = 0; stream < STREAMS; stream++) {
            int s = stream;
            List<Integer> submitted = new ArrayList<>();
            for (int launch = 0; launch < launches; launch++) {
                if (program.launchStream.get(launch) == s) {
                    submitted.add(launch);
                }
            }
            assertThat(program.completionOrder.stream().filter(l -> program.launchStream.get(l) == s).toList())
                    .as("completion order of stream %d", s).isEqualTo(submitted);
            for (int i = 1; i < submitted.size(); i++) {
                assertThat(byLaunchArg.get((long) submitted.get(i)).startNanos())
                        .isGreaterThanOrEqualTo(byLaunchArg.get((long) submitted.get(i - 1)).endNanos());
            }
        }

        for (KernelRecord record : records) {
            assertThat(record.submitNanos()).isLessThanOrEqualTo(record.startNanos());
            assertThat(record.endNanos() - record.startNanos())
                    .isGreaterThanOrEqualTo(record.blockNanos() * ((record.blocks() + slots - 1) / slots));
        }

        for (int[] wait : program.waits) {
            assertThat(byLaunchArg.get((long) wait[1]).startNanos()).as("launch after a wait")
                    .isGreaterThanOrEqualTo(byLaunchArg.get((long) wait[0]).endNanos());
        }

        // Every block dispatched once, and never more blocks running than slots.
        Map<Long, Long> dispatchedPerLaunch = new HashMap<>();
        TreeMap<Long, Long> occupancyChange = new TreeMap<>();
        for (BlockDispatch dispatch : program.recorder.dispatches()) {
            dispatchedPerLaunch.merge(dispatch.launchId(), (long) dispatch.blocks(), Long::sum);
            occupancyChange.merge(dispatch.startNanos(), (long) dispatch.blocks(), Long::sum);
            occupancyChange.merge(dispatch.endNanos(), (long) -dispatch.blocks(), Long::sum);
        }
        records.forEach(r -> assertThat(dispatchedPerLaunch.get(r.launchId())).isEqualTo(r.blocks()));
        long running = 0;
        for (long change : occupancyChange.values()) {
            running += change; // at one instant, blocks ending free their slots before new ones start
            assertThat(running).isBetween(0L, (long) slots);
        }
    }
}
