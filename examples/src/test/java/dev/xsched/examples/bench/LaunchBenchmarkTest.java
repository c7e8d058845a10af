package dev.xsched.examples.bench;

import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.Stream;
import dev.xsched.hip.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

class LaunchBenchmarkTest {
    @Test
    void percentilesUseTheNearestRankLikeTheCProgram() {
        long[] samples = new long[100];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (100 - i) * 1000L; // 1..100 us, shuffled order does not matter
        }
        LatencyStats stats = LatencyStats.of(samples);
        assertThat(stats.medianMicros()).isEqualTo(50.0);
        assertThat(stats.p99Micros()).isEqualTo(99.0);
        assertThat(stats.minMicros()).isEqualTo(1.0);
        assertThat(stats.maxMicros()).isEqualTo(100.0);
        assertThat(stats.meanMicros()).isEqualTo(50.5);
        assertThat(LatencyStats.of(new long[]{7000}).p99Micros()).isEqualTo(7.0);
    }

    @Test
    void theNearestRankIsAlwaysASampleBetweenMinAndMax() {
        qt().forAll(integers().between(1, 500), integers().between(1, 100)).checkAssert((n, percent) -> {
            long[] sorted = new long[n];
            for (int i = 0; i < n; i++) {
                sorted[i] = i * 10L;
            }
            long value = LatencyStats.nearestRank(sorted, percent / 100.0);
            assertThat(value).isBetween(sorted[0], sorted[n - 1]);
            assertThat(value % 10).isZero();
        });
    }

    @Test
    void theXQueueRowsCompareAQueueWithAStreamOnTheOnlinePathAndBackToBack() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        LaunchBenchmark.Result result;
        try (SimulatedPlatform sim = SimulatedPlatform.builder().realTime().build()) {
            result = LaunchBenchmark.measure(sim.device(0), new LaunchBenchmark.Options(20, 5, 50, 12, 3, 500,
                    LaunchBenchmark.Options.DEFAULT_ROUNDS, 1000, false));
        }
        LaunchBenchmark.print(result, new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        String text = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        LaunchBenchmarkXQueue.Result xqueue = result.xqueue();
        assertThat(xqueue.policy()).isEqualTo("pass-through");
        assertThat(xqueue.config().threshold()).isEqualTo(12);
        assertThat(xqueue.config().batchSize()).isEqualTo(3);
        assertThat(xqueue.config().idlePoll()).isEqualTo(java.time.Duration.ofNanos(500_000));
        assertThat(xqueue.roundTrips()).extracting(LaunchBenchmarkXQueue.RoundTrip::kernel).containsExactly("empty", "20 us");
        assertThat(xqueue.roundTrips()).allSatisfy(rt -> {
            assertThat(rt.stream().whole().count()).isEqualTo(20);
            assertThat(rt.xqueue().whole().count()).isEqualTo(20);
            // The launch call is a part of each round trip, so each of its order statistics is at
            // most the whole's; on the simulator a 20 us kernel's wait makes the whole longer.
            assertThat(rt.stream().launchCall().count()).isEqualTo(20);
            assertThat(rt.xqueue().launchCall().count()).isEqualTo(20);
            assertThat(rt.stream().launchCall().medianMicros()).isLessThanOrEqualTo(rt.stream().whole().medianMicros());
            assertThat(rt.xqueue().launchCall().medianMicros()).isLessThanOrEqualTo(rt.xqueue().whole().medianMicros());
            assertThat(rt.stream().launchCall().maxMicros()).isLessThanOrEqualTo(rt.stream().whole().maxMicros());
            assertThat(rt.xqueue().launchCall().maxMicros()).isLessThanOrEqualTo(rt.xqueue().whole().maxMicros());
            assertThat(rt.streamEventPolled().whole().count()).isEqualTo(20);
            assertThat(rt.streamPlainEventPolled().whole().count()).isEqualTo(20);
            // Each polled round trip queries its event at least once (the query that found it complete).
            assertThat(rt.streamEventPolled().queriesPerRoundTrip()).isGreaterThanOrEqualTo(1);
            assertThat(rt.streamPlainEventPolled().queriesPerRoundTrip()).isGreaterThanOrEqualTo(1);
        });
        assertThat(xqueue.backToBack()).extracting(LaunchBenchmarkXQueue.BackToBack::kernel).containsExactly("empty", "5 us");
        assertThat(xqueue.backToBack()).allSatisfy(b -> {
            assertThat(b.launches()).isEqualTo(50);
            assertThat(b.streamSeconds()).hasSize(LaunchBenchmark.Options.DEFAULT_ROUNDS).allSatisfy(t -> assertThat(t).isPositive());
            assertThat(b.xqueueSeconds()).hasSize(LaunchBenchmark.Options.DEFAULT_ROUNDS).allSatisfy(t -> assertThat(t).isPositive());
            assertThat(b.ratio()).isBetween(b.minRatio(), b.maxRatio());
            assertThat(b.window().threshold()).as("a drain budget moves the window within [2, threshold]").isBetween(2, 12);
            assertThat(b.window().batchSize()).isEqualTo(Math.max(1, b.window().threshold() * 3 / 12));
        });
        assertThat(text).contains("(policy pass-through, deciding on the scheduling thread, threshold 12, batch 3, idle poll 500 us, the window adapting to a drain budget of 1000 us)")
                .contains("empty kernel, XQueue").contains("20 us kernel, stream")
                .contains("back-to-back 5 us x 50, XQueue/stream").containsPattern("; window \\d+/\\d+\\)").contains("(median of 5 rounds, ").contains("of which the launch call").contains("20 us kernel, stream, event polled").contains("20 us kernel, stream, plain event polled").contains("event queries per round trip (mean)").contains("one System.nanoTime()")
                .contains("(clock source " + result.clock().source() + ")");
        LaunchCallSplit.Split split = xqueue.launchSplit();
        assertThat(split.before().count() + split.launchedElsewhere()).as("every measured round trip, split or counted")
                .isEqualTo(20);
        assertThat(split.before().minMicros()).isNotNegative();
        assertThat(split.nativeLaunch().minMicros()).isNotNegative();
        assertThat(split.after().minMicros()).isNotNegative();
        assertThat(split.synchronize().count()).isEqualTo(split.before().count());
        assertThat(split.synchronize().minMicros()).isNotNegative();
        assertThat(split.slowest().count()).as("the slowest 1%% of %d round trips, ties included", split.before().count())
                .isBetween(1, split.before().count());
        assertThat(text).contains("empty kernel, XQueue's launch call split (own queue)").contains("    before the native launch")
                .contains("    the native launch").contains("    after it").contains("    then synchronize()")
                .containsPattern("    slowest 1% \\(\\d+\\), each part's p50 +before \\d+\\.\\d\\d, native launch \\d+\\.\\d\\d, after \\d+\\.\\d\\d, synchronize\\(\\) \\d+\\.\\d\\d us");
        assertThat(text.lines().filter(l -> l.startsWith("JSON ")).findFirst().orElseThrow())
                .contains("\"launch_split_us\":{\"before\":{\"median\":").contains("\"native_launch\":{\"median\":")
                .contains("\"after\":{\"median\":").contains("\"synchronize\":{\"median\":")
                .containsPattern("\"slowest\":\\{\"count\":\\d+,\"before\":[\\d.]+,\"native_launch\":[\\d.]+,\"after\":[\\d.]+,\"synchronize\":[\\d.]+}")
                .containsPattern("\"launched_elsewhere\":\\d+}");
        SynchronizeSplit sync = split.synchronizeSplit();
        assertThat(sync.split() + sync.withoutOwnRecord() + sync.seenElsewhere())
                .as("every split round trip's synchronize(), split or counted").isEqualTo(split.before().count());
        assertThat(sync.split()).as("a synchronize() after a lone launch records its own sync point and polls it").isPositive();
        assertThat(sync.stats().poll().count()).isEqualTo(sync.split());
        assertThat(sync.stats().beforeRecord().minMicros()).isNotNegative();
        assertThat(sync.stats().record().minMicros()).isNotNegative();
        assertThat(sync.stats().poll().minMicros()).isNotNegative();
        assertThat(sync.stats().afterComplete().minMicros()).isNotNegative();
        assertThat(sync.queriesPerCall()).isGreaterThanOrEqualTo(1);
        assertThat(text).contains("  its synchronize() split at the sync point (" + sync.split() + " calls)")
                .contains("    before the record").contains("    the record").contains("    polling until seen complete")
                .containsPattern(sync.stats().slowest().count() == 0 ? "    slowest 1%: none of their calls split"
                        : "    slowest 1% \\(\\d+\\), each part's p50 +before the record \\d+\\.\\d\\d, the record \\d+\\.\\d\\d, polling \\d+\\.\\d\\d, after \\d+\\.\\d\\d us")
                .contains("    event queries per call (mean)").contains("    calls with no record of their own")
                .contains("    sync point seen complete first elsewhere");
        assertThat(text.lines().filter(l -> l.startsWith("JSON ")).findFirst().orElseThrow())
                .contains("\"synchronize_split_us\":{\"split\":" + sync.split() + ",\"before_record\":{\"median\":")
                .contains("\"record\":{\"median\":").contains("\"poll\":{\"median\":").contains("\"after_complete\":{\"median\":")
                .containsPattern(sync.stats().slowest().count() == 0 ? "\"slowest\":\\{\"count\":0}"
                        : "\"slowest\":\\{\"count\":\\d+,\"before_record\":[\\d.]+,\"record\":[\\d.]+,\"poll\":[\\d.]+,\"after_complete\":[\\d.]+}")
                .containsPattern("\"queries_per_call\":[\\d.]+,\"without_own_record\":\\d+,\"seen_elsewhere\":\\d+}");
        assertThat(result.clock().nanosPerRead()).isPositive().isLessThan(1e6);
        assertThat(text.lines().filter(l -> l.startsWith("JSON ")).findFirst().orElseThrow())
                .contains("\"xqueue\":{\"policy\":\"pass-through\",\"decide_on_submit\":false,\"threshold\":12,\"batch\":3,\"idle_poll_us\":500,\"drain_budget_us\":1000,\"roundtrip\":[{\"kernel\":\"empty\",\"stream_us\":{\"median\":")
                .contains("\"xqueue_us\":{").contains("\"stream_launch_us\":{\"median\":").contains("\"xqueue_launch_us\":{\"median\":").contains("\"stream_event_polled_us\":{\"median\":").contains("\"stream_plain_event_polled_us\":{\"median\":").contains("\"stream_event_polled_queries\":").contains("\"stream_plain_event_polled_queries\":")
                .containsPattern("\"stream_gc_pauses\":\\d+,\"stream_gc_ms\":\\d+,\"xqueue_gc_pauses\":\\d+,\"xqueue_gc_ms\":\\d+").contains("\"back_to_back\":[{\"kernel\":\"empty\",\"launches\":50,\"stream_s\":")
                .contains("\"xqueue_over_stream\":").contains("\"rounds_stream_s\":[").contains("\"rounds_xqueue_s\":[")
                .contains("\"rounds_ratio\":[").containsPattern("\"window_threshold\":\\d+,\"window_batch\":\\d+").contains(",\"clock\":{\"read_ns\":");
    }

    @Test
    void theXQueueRowsCanDecideOnTheLaunchingThreadAndSaySo() {
        LaunchBenchmark.Result result;
        try (SimulatedPlatform sim = SimulatedPlatform.builder().realTime().build()) {
            result = LaunchBenchmark.measure(sim.device(0), new LaunchBenchmark.Options(10, 2, 20, 4, 2, 0, 1, 0, true));
        }
        assertThat(result.xqueue().decideOnSubmit()).isTrue();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        LaunchBenchmark.print(result, new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("deciding on the submitting thread")
                .contains("\"decide_on_submit\":true");
    }

    @Test
    void aRoundTripRowThatMetCollectionPausesSaysSo() {
        assertThat(LaunchBenchmarkXQueue.pausesNote(new GcCounters(0, 0))).isEmpty();
        assertThat(LaunchBenchmarkXQueue.pausesNote(new GcCounters(1, 12))).isEqualTo("  (1 GC pause, 12 ms)");
        assertThat(LaunchBenchmarkXQueue.pausesNote(new GcCounters(3, 40))).isEqualTo("  (3 GC pauses, 40 ms)");
    }

    @Test
    void theRoundTripsCountTheCollectionPausesThatFellAmongThem() throws Exception {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().realTime().build();
             HipModule module = sim.device(0).loadModule(sim.device(0).compiler().compile("spin_cycles.cu",
                     LaunchBenchmarkXQueue.SPIN_SOURCE));
             Stream stream = sim.device(0).createStream()) {
            Kernel spin = module.function("spin_cycles", ParamType.LONG);
            LaunchBenchmarkXQueue.TimedKernel kernel = LaunchBenchmarkXQueue.timed(sim.device(0), spin, spin, 20);
            // The 8th synchronize is the 3rd measured round trip's (5 of warm-up): it collects, as
            // a young collection would in the middle of a row.
            AtomicInteger synchronizes = new AtomicInteger();
            CommandQueue collecting = (CommandQueue) Proxy.newProxyInstance(CommandQueue.class.getClassLoader(),
                    new Class<?>[]{CommandQueue.class}, (proxy, method, args) -> {
                        Object result;
                        try {
                            result = method.invoke(stream, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (method.getName().equals("synchronize") && synchronizes.incrementAndGet() == 8) {
                            System.gc();
                        }
                        return result;
                    });
            LaunchBenchmarkXQueue.RoundTrips trips = LaunchBenchmarkXQueue.roundTrips(collecting, kernel,
                    new LaunchBenchmark.Options(10, 5, 50, 12, 3));
            assertThat(trips.whole().count()).isEqualTo(10);
            assertThat(trips.gc().count()).as("the explicit collection among the measured round trips").isPositive();
            assertThat(LaunchBenchmarkXQueue.pausesNote(trips.gc())).contains("GC pause");
        }
    }

    @Test
    void optionsAreCheckedBeforeAnyGpuWorkNamingTheOption() {
        assertThatThrownBy(() -> new LaunchBenchmark.Options(0, 1, 1)).hasMessageContaining("--iterations");
        assertThatThrownBy(() -> new LaunchBenchmark.Options(1, -1, 1)).hasMessageContaining("--warmup");
        assertThatThrownBy(() -> new LaunchBenchmark.Options(1, 0, 0)).hasMessageContaining("--launches");
        assertThatThrownBy(() -> new LaunchBenchmark.Options(1, 0, 1, 0, 1)).hasMessageContaining("--threshold");
        assertThatThrownBy(() -> new LaunchBenchmark.Options(1, 0, 1, 4, 8)).hasMessageContaining("--batch-size");
        assertThatThrownBy(() -> new LaunchBenchmark.Options(1, 0, 1, 4, 2, -1)).hasMessageContaining("--idle-poll-us");
        assertThatThrownBy(() -> new LaunchBenchmark.Options(1, 0, 1, 4, 2, 250_001)).hasMessageContaining("0 or from 10 to 250000");
        assertThatThrownBy(() -> new LaunchBenchmark.Options(1, 0, 1, 4, 2, 5)).hasMessageContaining("0 or from 10 to 250000");
        assertThatThrownBy(() -> new LaunchBenchmark.Options(1, 0, 1, 4, 2, 0, 0)).hasMessageContaining("--rounds");
        assertThatThrownBy(() -> new LaunchBenchmark.Options(1, 0, 1, 4, 2, 0, 1, -1)).hasMessageContaining("--drain-budget-us");
        assertThatThrownBy(() -> new LaunchBenchmark.Options(1, 0, 1, 4, 2, 0, 1, 10_000_001)).hasMessageContaining("from 0 to 10000000");
    }

    @Test
    void aBackToBackRowIsTheMedianOfItsRoundsRatios() {
        // Round 2's stream was slow (the host, not the queue): alone it would read 0.75x.
        LaunchBenchmarkXQueue.BackToBack row = new LaunchBenchmarkXQueue.BackToBack("empty", 100,
                java.util.List.of(1.0, 2.0, 1.0, 1.0, 1.0), java.util.List.of(1.1, 1.5, 1.2, 1.05, 1.3),
                new LaunchBenchmarkXQueue.Window(16, 8));
        assertThat(row.ratio()).isCloseTo(1.1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(row.minRatio()).isCloseTo(0.75, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(row.maxRatio()).isCloseTo(1.3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(row.medianStreamSeconds()).isEqualTo(1.0);
        assertThat(row.medianXQueueSeconds()).isEqualTo(1.2);
        assertThatThrownBy(() -> new LaunchBenchmarkXQueue.BackToBack("empty", 100, java.util.List.of(1.0),
                java.util.List.of(), new LaunchBenchmarkXQueue.Window(16, 8))).hasMessageContaining("one stream and one XQueue time per round");
    }
}
