package dev.xsched.core;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.core.fake.TimedHolds;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.Event;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Random interleavings of submit, suspend (through a policy with timed holds), resume, hint,
 * synchronize, cross-queue waits, sliced launches, yieldable launches and close over several queues, on a
 * scripted GPU in virtual time. Invariants: every command (every slice of a sliced launch) runs to the
 * end exactly once and in per-queue order, slices with consecutive offsets covering their grid, a
 * yieldable launch suspended while it runs stopping early and running again; nothing is released
 * behind a yieldable launch still in flight but another yieldable launch; synchronize returns
 * only after every earlier command completed; in-flight never exceeds the threshold; a suspended
 * queue releases nothing; nothing deadlocks (a stuck wait would end the scenario with an error).
 * QuickTheories prints the seed and the falsifying scenario on failure.
 */
class XQueuePropertiesTest {
    private static final int QUEUES = 3;
    private static final int SCENARIOS = 1000;

    @Test
    void randomScenariosKeepEveryInvariant() {
        qt().withExamples(SCENARIOS)
                .forAll(lists().of(integers().between(0, 1 << 20)).ofSizeBetween(1, 80), integers().between(1, 6))
                .checkAssert(this::runScenario);
    }

    private void runScenario(List<Integer> ops, int thresholdSeed) {
        FakeGpu gpu = new FakeGpu();
        AtomicLong now = new AtomicLong();
        TimedHolds policy = new TimedHolds();
        List<FakeStream> streams = new ArrayList<>();
        // Advancing time completes one command on every stream: the "hardware" makes progress.
        XScheduler scheduler = XScheduler.builder().jmx(false).clock(now::get).policy(policy)
                .manual(() -> {
                    now.addAndGet(1_000);
                    gpu.streams().forEach(s -> s.completeNext(1));
                }).build();
        Kernel kernel = gpu.kernel("k");
        List<XQueue> queues = new ArrayList<>();
        Kernel sliced = gpu.slicedKernel("s");
        Kernel yieldable = gpu.yieldableKernel("y");
        Map<Integer, List<String>> submitted = new HashMap<>();
        Map<Integer, XQueue> byStream = new HashMap<>();
        Map<Integer, Boolean> dropped = new HashMap<>();
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < QUEUES; i++) {
            int threshold = 1 + (thresholdSeed * (i + 1)) % 7;
            XQueue q = scheduler.createQueue(gpu, new XQueueConfig("q" + i, threshold, 1 + threshold / 2));
            queues.add(q);
            FakeStream s = (FakeStream) q.stream();
            streams.add(s);
            byStream.put(s.id(), q);
            submitted.put(s.id(), new ArrayList<>());
        }
        List<String> globalOrder = new ArrayList<>();
        gpu.onIssue = issued -> {
            globalOrder.add(issued.what());
            XQueue q = byStream.get(issued.streamId());
            if (q == null) {
                return; // a queue's own stream for writing its yield flag
            }
            FakeStream s = (FakeStream) q.stream();
            if (!issued.what().equals("sync") && !issued.what().equals("memset") && !issued.what().startsWith("wait f")) {
                if (!issued.what().startsWith("launch y") && s.pendingYieldable() > 0) {
                    violations.add(q.name() + " released " + issued.what() + " behind a yieldable launch in flight");
                }
                if (s.pendingExceptMemsets() >= q.config().threshold()) {
                    violations.add(q.name() + " exceeded its threshold " + q.config().threshold());
                }
                if (q.stats().suspended()) {
                    violations.add(q.name() + " released " + issued.what() + " while suspended");
                }
            }
        };
        int tag = 0;
        List<XQueue> open = new ArrayList<>(queues);
        try {
            for (int v : ops) {
                if (open.isEmpty()) {
                    break;
                }
                XQueue q = open.get((v >> 4) % open.size());
                FakeStream s = (FakeStream) q.stream();
                switch (v % 16) {
                    case 0, 1, 2, 3, 4 -> {
                        q.launch(kernel, LaunchConfig.of(1, 1), FakeGpu.tag(++tag));
                        submitted.get(s.id()).add("launch k#" + tag);
                    }
                    case 5 -> {
                        // A sliced launch: grid G in slices of K, each one command, in order.
                        int grid = 1 + (v >> 8) % 9;
                        int k = 1 + (v >> 12) % 4;
                        q.launchSliced(sliced, LaunchConfig.of(grid, 1), FakeGpu.tag(++tag), k);
                        for (int offset = 0; offset < grid; offset += k) {
                            submitted.get(s.id()).add("launch s#" + tag + "@" + offset + "+" + Math.min(k, grid - offset));
                        }
                    }
                    case 6 -> {
                        policy.holdUntil.put(q.id(), now.get() + 1_000L * ((v >> 8) % 20));
                        q.hint(new Hint.Priority((v >> 8) % 255));
                    }
                    case 7 -> {
                        policy.holdUntil.remove(q.id());
                        q.hint(new Hint.Priority(0));
                    }
                    case 8 -> {
                        q.synchronize();
                        if (s.pendingLaunches() != 0 || q.stats().buffered() != 0) {
                            violations.add(q.name() + " synchronize returned with work pending");
                        }
                    }
                    case 9 -> {
                        XQueue other = open.get((v >> 8) % open.size());
                        Event event = gpu.createEvent();
                        q.record(event);
                        other.waitFor(event);
                    }
                    case 10 -> {
                        boolean drop = ((v >> 8) & 1) == 1;
                        dropped.put(s.id(), drop);
                        q.close(drop ? CloseMode.DROP : CloseMode.DRAIN);
                        open.remove(q);
                    }
                    case 11 -> q.isIdle();
                    case 12, 13 -> {
                        // Stops early whenever its queue is suspended while it runs, and goes again.
                        q.launchYieldable(yieldable, LaunchConfig.of(1 + (v >> 8) % 64, 32), FakeGpu.tag(++tag));
                        submitted.get(s.id()).add("launch y#" + tag);
                    }
                    default -> scheduler.pump();
                }
            }
            policy.holdUntil.clear();
            for (XQueue q : open) {
                q.hint(new Hint.Priority(1));
                q.synchronize();
            }
        } finally {
            streams.forEach(FakeStream::completeAll);
            scheduler.close();
        }
        assertThat(violations).isEmpty();
        boolean anyDrop = dropped.containsValue(true);
        for (int i = 0; i < globalOrder.size(); i++) {
            String entry = globalOrder.get(i);
            if (entry.startsWith("wait ")) {
                String record = "record " + entry.substring(5);
                boolean recordedBefore = globalOrder.subList(0, i).contains(record);
                boolean neverRecorded = !globalOrder.contains(record);
                assertThat(recordedBefore || (neverRecorded && anyDrop))
                        .as("%s released before its record (order %s)", entry, globalOrder).isTrue();
            }
        }
        for (FakeStream s : streams) {
            // A launch that stopped early is issued again later: only the final runs count.
            List<String> released = s.finishedLaunches();
            List<String> expected = submitted.get(s.id());
            if (dropped.getOrDefault(s.id(), false)) {
                assertThat(released.size()).isLessThanOrEqualTo(expected.size());
                assertThat(expected.subList(0, released.size())).as("released commands are a prefix of those submitted")
                        .isEqualTo(released);
            } else {
                assertThat(released).as("every command released exactly once, in order").isEqualTo(expected);
            }
        }
    }
}
