package dev.xsched.examples.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link MissWindows}: a deadline run's misses grouped by release time, as the benchmark prints them. */
class MissWindowsTest {
    private static final long MS = 1_000_000L;

    @Test
    void missesReleasedCloseTogetherFormOneWindowAndLoneOnesTheirOwn() {
        // A: every 10 ms, deadline 6 ms; B: every 20 ms, deadline 15 ms; C: every 100 ms, deadline 100 ms.
        long[] aRel = releases(10, 2000);
        long[] aResp = filled(aRel.length, 3 * MS);
        long[] bRel = releases(20, 1000);
        long[] bResp = filled(bRel.length, 10 * MS);
        long[] cRel = releases(100, 200);
        long[] cResp = filled(cRel.length, 70 * MS);
        // A stall at 8.10-8.13 s: A (three instances), B and C late together, one A instance during a GC.
        aResp[810] = 18 * MS;
        aResp[811] = 12 * MS;
        aResp[813] = DeadlineAccounting.NOT_COMPLETED;
        bResp[405] = 25 * MS;
        cResp[81] = 119 * MS;
        GcCounters[] aGc = new GcCounters[aRel.length];
        aGc[811] = new GcCounters(1, 6);
        // Alone, long after: A late by 0.2 ms at 12.30 s.
        aResp[1230] = 6 * MS + 200_000;
        PolicyBenchmark.DeadlineRun run = new PolicyBenchmark.DeadlineRun(Mode.xsched("kedf"),
                List.of(new DeadlineAccounting(6 * MS, aResp), new DeadlineAccounting(15 * MS, bResp),
                        new DeadlineAccounting(100 * MS, cResp)),
                List.of(aRel, bRel, cRel), List.of(aResp, bResp, cResp),
                List.of(aGc, new GcCounters[bRel.length], new GcCounters[cRel.length]));

        List<MissWindows.Window> windows = MissWindows.of(run);

        assertThat(windows).hasSize(2);
        assertThat(windows.getFirst().misses()).extracting(MissWindows.Miss::task).containsExactly("A", "B", "C", "A", "A"); // ties in task order
        assertThat(windows.getFirst().describe())
                .isEqualTo("8.10-8.13 s: 5 (A 3, B 1, C 1), late by up to 19.00 ms, 1 never completed, 1 during a GC");
        assertThat(windows.get(1).describe()).isEqualTo("12.30 s: 1 (A 1), late by up to 0.20 ms");
        assertThat(MissWindows.describe(List.of(run), 1)).containsExactly("xsched-kedf misses by window (released within "
                + "100 ms of each other): 8.10-8.13 s: 5 (A 3, B 1, C 1), late by up to 19.00 ms, 1 never completed, "
                + "1 during a GC; 1 more in 1 other windows");
    }

    @Test
    void aWindowSaysHowLongItsThreadsWaitedOnTheRunQueueAndLostWhileKeepingTheirCpu() {
        long[] rel = releases(50, 10);
        long[] resp = filled(rel.length, 1 * MS);
        resp[3] = 9 * MS;
        resp[4] = 8 * MS;
        resp[7] = 7 * MS;
        double[] runQueue = new double[rel.length];
        runQueue[3] = 3.1;
        runQueue[4] = 0.4;
        runQueue[7] = 0.05; // below what a window notes
        double[] offCpu = new double[rel.length];
        Arrays.fill(offCpu, Double.NaN);
        offCpu[4] = 2.5;
        offCpu[7] = 1.2;
        long[] onTime = filled(rel.length, 1 * MS);
        var run = new PolicyBenchmark.DeadlineRun(Mode.xsched("kedf"), List.of(new DeadlineAccounting(6 * MS, resp),
                new DeadlineAccounting(15 * MS, onTime), new DeadlineAccounting(100 * MS, onTime)),
                List.of(rel, rel, rel), List.of(resp, onTime, onTime),
                List.of(new GcCounters[rel.length], new GcCounters[rel.length], new GcCounters[rel.length]),
                List.of(runQueue, new double[rel.length], new double[rel.length]),
                List.of(offCpu, new double[rel.length], new double[rel.length]));

        List<MissWindows.Window> windows = MissWindows.of(run);

        assertThat(windows).hasSize(2);
        assertThat(windows.getFirst().describe()).isEqualTo("0.15-0.20 s: 2 (A 2), late by up to 3.00 ms, up to 3.10 ms on the run "
                + "queue, up to 2.50 ms lost while keeping the CPU");
        assertThat(windows.get(1).describe()).isEqualTo("0.35 s: 1 (A 1), late by up to 1.00 ms, up to 1.20 ms lost while keeping the CPU");
    }

    @Test
    void nativeModesAndRunsWithoutMissesPrintNothing() {
        long[] rel = releases(10, 10);
        long[] late = filled(rel.length, 9 * MS);
        long[] onTime = filled(rel.length, 1 * MS);
        var nativeRun = new PolicyBenchmark.DeadlineRun(Mode.NATIVE, List.of(new DeadlineAccounting(6 * MS, late),
                new DeadlineAccounting(15 * MS, onTime), new DeadlineAccounting(100 * MS, onTime)),
                List.of(rel, rel, rel), List.of(late, onTime, onTime),
                List.of(new GcCounters[rel.length], new GcCounters[rel.length], new GcCounters[rel.length]));
        var kedf = new PolicyBenchmark.DeadlineRun(Mode.xsched("kedf"), List.of(new DeadlineAccounting(6 * MS, onTime),
                new DeadlineAccounting(15 * MS, onTime), new DeadlineAccounting(100 * MS, onTime)),
                List.of(rel, rel, rel), List.of(onTime, onTime, onTime),
                List.of(new GcCounters[rel.length], new GcCounters[rel.length], new GcCounters[rel.length]));
        assertThat(MissWindows.of(nativeRun)).hasSize(1);
        assertThat(MissWindows.describe(List.of(nativeRun, kedf), 5)).isEmpty();
    }

    private static long[] releases(long periodMs, int n) {
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = i * periodMs * MS;
        }
        return r;
    }

    private static long[] filled(int n, long value) {
        long[] r = new long[n];
        Arrays.fill(r, value);
        return r;
    }
}
