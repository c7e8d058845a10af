package dev.xsched.examples.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestBreakdownTest {
    /**
     * 199 requests of 3 ms (GPU 2.5), each suspending the LP once for 3.5 ms, and one of 9 ms that
     * waited 6 ms behind two LP yields and suspended the LP twice, for 10 ms in all.
     */
    private static List<RequestBreakdown.Row> rows() {
        List<RequestBreakdown.Row> rows = new ArrayList<>();
        for (int i = 0; i < 199; i++) {
            rows.add(new RequestBreakdown.Row("xsched-hpf", i * 0.05, 0.05, 0.4, 2.5, 0.05, 3.0, 0, 0, 0, 1, 3.5));
        }
        rows.add(new RequestBreakdown.Row("xsched-hpf", 9.95, 0.05, 6.4, 2.5, 0.05, 9.0, 2, 1, 3, 2, 10.0));
        return rows;
    }

    @Test
    void theCsvHasOneRowPerRequestWithEveryPart(@TempDir Path dir) throws Exception {
        Path file = RequestBreakdown.write(rows(), dir);
        List<String> lines = Files.readAllLines(file);
        assertThat(file.getFileName().toString()).isEqualTo("hp-breakdown.csv");
        assertThat(lines).hasSize(201);
        assertThat(lines.getFirst()).isEqualTo(
                "mode,arrival_s,late_ms,wait_ms,gpu_ms,wake_ms,total_ms,lp_yields,gc_count,gc_ms,lp_suspends,lp_suspended_ms,"
                        + "to_server,from_server,lp_decisions,run_queue_ms,off_cpu_ms,woke_late_ms,enqueue_ms,lp_suspend_ms,hp_to_server,start_record_ms");
        assertThat(lines.getLast())
                .isEqualTo("xsched-hpf,9.950000,0.0500,6.4000,2.5000,0.0500,9.0000,2,1,3,2,10.0000,0,0,0,NaN,NaN,NaN,NaN,NaN,0,NaN");
    }

    @Test
    void theSummaryPutsTheSlowestPercentBesideTheMean() {
        String text = summary(rows());
        // The slowest 1% of 200 is 2 requests: the 9 ms one and a 3 ms one.
        assertThat(text).contains("xsched-hpf").contains("     2 ")
                .contains("  3.40 |   0.43")     // wait: (6.4 + 0.4) / 2 beside (199 * 0.4 + 6.4) / 200
                .contains("  1.00 |   0.01")     // LP yields: 2 / 2 beside 2 / 200
                .contains("  1.50 |   1.01")     // LP suspends: (2 + 1) / 2 beside (199 + 2) / 200
                .contains("  6.75 |   3.53");    // LP suspended: (10 + 3.5) / 2 beside (199 * 3.5 + 10) / 200
    }

    @Test
    void theHostsRunQueueWaitHasItsColumn() {
        List<RequestBreakdown.Row> rows = new ArrayList<>();
        for (RequestBreakdown.Row row : rows()) {
            rows.add(row.withHost(new RequestBreakdown.HostTimes(row.totalMs() > 5 ? 4.0 : 0.0, row.totalMs() > 5 ? 1.0 : 0.0, 0)));
        }
        String summary = summary(rows);
        // The slowest two: the 9 ms request that waited 4 ms on the run queue and was 1 ms off the CPU, and one that did neither.
        assertThat(summary).contains("run queue").contains("  2.00 |   0.02").contains("off CPU").contains("  0.50 |   0.01");
    }

    @Test
    void requestsTheHostHeldUpAreCountedByWhatHeldThemUp() {
        List<RequestBreakdown.Row> rows = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            rows.add(new RequestBreakdown.Row("xsched-hpf", i * 0.05, 0.05, 0.05, 1.7, 0.01, 1.81, 2, 0, 0, 1, 1.8)
                    .withHost(new RequestBreakdown.HostTimes(0, 0, 0)));
        }
        // Late by 2.5 ms, all on the run queue; slow to wake by 1.5 ms, 1.4 of it off the CPU; late by 2 ms
        // after a park that returned 1.9 ms past the arrival; late by 1.2 ms, nothing known.
        rows.add(new RequestBreakdown.Row("xsched-hpf", 4.80, 2.5, 0.05, 1.7, 0.01, 4.26, 2, 0, 0, 1, 1.8)
                .withHost(new RequestBreakdown.HostTimes(2.5, 0, 0)));
        rows.add(new RequestBreakdown.Row("xsched-hpf", 4.85, 0.05, 0.05, 1.7, 1.5, 3.3, 2, 0, 0, 1, 1.8)
                .withHost(new RequestBreakdown.HostTimes(0.01, 1.4, 0)));
        rows.add(new RequestBreakdown.Row("xsched-hpf", 4.90, 2.0, 0.05, 1.7, 0.01, 3.76, 2, 0, 0, 1, 1.8)
                .withHost(new RequestBreakdown.HostTimes(0, 0.05, 1.9)));
        rows.add(new RequestBreakdown.Row("xsched-hpf", 4.95, 1.2, 0.05, 1.7, 0.01, 2.96, 2, 0, 0, 1, 1.8));
        rows.add(new RequestBreakdown.Row("native-priority", 0, 0.05, 0.05, 2.2, 0, 2.4, 0, 0, 0));
        String summary = summary(rows);
        assertThat(summary).contains("xsched-hpf: 4 requests (4.0%) were held up over 1 ms on "
                        + "the host (late, wake-up and a stalled enqueue, median 1.78 ms): 1 of the slowest 1; 1 of 3 known spent at least half of it on "
                        + "the run queue (the host's scheduler or CPU quota); 1 of 3 known lost at least half of it while keeping "
                        + "their CPU (the hypervisor's steal or interrupts); 1 of 3 known woke from the client's "
                        + "park at least half of it after the arrival")
                .as("a mode the host never held up has no such line").doesNotContain("native-priority: ")
                .as("the run-queue column averages the known waits: (2.5 + 0.01) / 99")
                .contains("  2.50 |   0.03");
    }

    /**
     * A thread stalled while it enqueued its request: late and wake-up say nothing, the GPU span
     * waited for the last launch; the enqueue column and its line say so.
     */
    @Test
    void aThreadStalledWhileEnqueuingIsToldApartFromTheGpu() {
        List<RequestBreakdown.Row> rows = new ArrayList<>();
        for (int i = 0; i < 199; i++) {
            double enqueue = 0.10 + (i % 10) * 0.002; // 0.100-0.118 ms
            rows.add(new RequestBreakdown.Row("xsched-hpf", i * 0.05, 0.02, 0.03, 0.45, 0.01, 0.51, 1, 0, 0, 1, 0.6)
                    .withHost(new RequestBreakdown.HostTimes(0, 0, 0, enqueue, 0.020 + (i % 10) * 0.001)));
        }
        rows.add(new RequestBreakdown.Row("xsched-hpf", 9.95, 0.02, 0.03, 2.45, 0.01, 2.51, 1, 0, 0, 1, 2.6)
                .withHost(new RequestBreakdown.HostTimes(1.9, 0, 0, 2.1)));
        rows.add(new RequestBreakdown.Row("standalone-hp", 0, 0.02, 0.03, 0.40, 0.01, 0.46, 0, 0, 0)
                .withHost(new RequestBreakdown.HostTimes(0, 0, 0, 0.08)));
        rows.add(new RequestBreakdown.Row("native", 0, 0.02, 0.03, 0.40, 0.01, 0.46, 0, 0, 0));
        String summary = summary(rows);
        // Median of 200: the mean of the 100th and 101st values, 0.108 and 0.110; P99 (nearest rank, the 198th): 0.118.
        assertThat(summary).contains("enqueue")
                .contains("xsched-hpf: the host enqueued a request's commands in P50 0.109, P99 0.118 ms; 1 took over 1 ms more"
                        + " than that (the thread stalled mid-request, which lengthens the GPU span): 1 of the slowest 2")
                .contains("standalone-hp: the host enqueued a request's commands in P50 0.080, P99 0.080 ms; none took over 1 ms"
                        + " more than that")
                .as("the slowest two's mean enqueue beside all 200's").contains("  1.10 |   0.12")
                .as("the stall beyond the median counts as the host's: 0.02 + 0.01 + 2.1 - 0.109")
                .contains("xsched-hpf: 1 requests (0.5%) were held up over 1 ms on the host (late, wake-up and a stalled"
                        + " enqueue, median 2.02 ms): 1 of the slowest 2; 1 spent at least half of it on the run queue")
                .contains("the 199 requests not held up on the host")
                .as("a mode that measured no enqueue has no such line").doesNotContain("native: the host enqueued")
                .as("199 first calls of 0.020-0.029 ms: P50 the 100th, P99 the 198th")
                .contains("xsched-hpf: of that, the first call (the start event's record, which makes an XQueue ready) took"
                        + " P50 0.024, P99 0.029 ms, before the first kernel's launch")
                .as("a mode that measured no first call has no such line").doesNotContain("standalone-hp: of that");
    }

    /** The one row an older file written with {@code header} holds (its columns cut to the header's). */
    private static RequestBreakdown.Row readOldRow(Path dir, String header) throws Exception {
        String row = "xsched-hpf,9.950000,0.0500,6.4000,2.5000,0.0500,9.0000,2,1,3,2,10.0000,2,3,2,0.5000,0.2500,0.0000,0.1250,"
                + "0.0600,4";
        int columns = header.split(",").length;
        Files.writeString(dir.resolve(RequestBreakdown.FILE), header + "\n"
                + String.join(",", Arrays.asList(row.split(",")).subList(0, columns)) + "\n");
        List<RequestBreakdown.Row> rows = RequestBreakdown.read(dir);
        assertThat(rows).hasSize(1);
        return rows.getFirst();
    }

    @Test
    void aFileFromBeforeTheEnqueueColumnReadsWithItUnknown(@TempDir Path dir) throws Exception {
        RequestBreakdown.Row row = readOldRow(dir, RequestBreakdown.HEADER_WITHOUT_ENQUEUE);
        assertThat(row.host()).isEqualTo(new RequestBreakdown.HostTimes(0.5, 0.25, 0, Double.NaN));
        assertThat(RequestBreakdown.HEADER_WITHOUT_ENQUEUE).endsWith(",woke_late_ms");
    }

    @Test
    void aFileFromBeforeTheStartRecordColumnReadsWithItUnknown(@TempDir Path dir) throws Exception {
        RequestBreakdown.Row row = readOldRow(dir, RequestBreakdown.HEADER_WITHOUT_START_RECORD);
        assertThat(row.lpSuspendMs()).isEqualTo(0.06);
        assertThat(row.traffic()).isEqualTo(new SocketTraffic(2, 3, 2, 4));
        assertThat(row.host()).isEqualTo(new RequestBreakdown.HostTimes(0.5, 0.25, 0, 0.125, Double.NaN));
        assertThat(RequestBreakdown.HEADER_WITHOUT_START_RECORD).endsWith(",hp_to_server");
        assertThat(summary(List.of(row))).as("no first-call times: no line about them").doesNotContain("the first call");
    }

    @Test
    void aFileFromBeforeTheSuspendTimeReadsWithItUnknownAndNoHpFrames(@TempDir Path dir) throws Exception {
        RequestBreakdown.Row row = readOldRow(dir, RequestBreakdown.HEADER_WITHOUT_SUSPEND_TIME);
        assertThat(row.lpSuspendMs()).isNaN();
        assertThat(row.traffic()).isEqualTo(new SocketTraffic(2, 3, 2, 0));
        assertThat(row.host()).isEqualTo(new RequestBreakdown.HostTimes(0.5, 0.25, 0, 0.125));
        assertThat(RequestBreakdown.HEADER_WITHOUT_SUSPEND_TIME).endsWith(",enqueue_ms");
        assertThat(summary(List.of(row))).as("no suspend times: no line about them").doesNotContain("the LP's suspension began");
    }

    /**
     * Two processes: 96 requests suspended the LP once, 0.02-0.115 ms after their arrival, one of
     * them only after its last kernel (at 0.88 ms) had ended; 2 suspended it twice; 4 never did,
     * with a longer GPU span, the HP process having sent its ready and idle in 3 of them; one
     * request's LP side unknown (a late mark: its counts read 0) is none of these.
     */
    @Test
    void theLpSuspendLineGivesTheDelayAndSetsApartRequestsThatNeverSuspendedTheLp() {
        List<RequestBreakdown.Row> rows = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            rows.add(new RequestBreakdown.Row("xsched-hpf", i * 0.05, 0.02, 0.04, 0.8, 0.01, 0.87, 2, 0, 0)
                    .withLp(2, 1, 0.8, i == 95 ? 0.9 : 0.02 + i * 0.001).withTraffic(new SocketTraffic(2, 2, 2, 2)));
        }
        for (int i = 96; i < 98; i++) {
            rows.add(new RequestBreakdown.Row("xsched-hpf", i * 0.05, 0.02, 0.04, 0.8, 0.01, 0.87, 2, 0, 0)
                    .withLp(2, 2, 0.8, Double.NaN).withTraffic(new SocketTraffic(4, 4, 4, 4)));
        }
        for (int i = 98; i < 102; i++) {
            rows.add(new RequestBreakdown.Row("xsched-hpf", i * 0.05, 0.02, 0.04, i == 101 ? 1.3 : 0.9, 0.01, 1.5, 0, 0, 0)
                    .withLp(0, 0, 0, Double.NaN).withTraffic(new SocketTraffic(2, 0, 0, i == 98 ? 1 : 2)));
        }
        rows.add(new RequestBreakdown.Row("xsched-hpf", 5.1, 0.02, 0.04, 0.8, 0.01, 0.87, 0, 0, 0)
                .withLp(0, 0, Double.NaN, Double.NaN).withTraffic(new SocketTraffic(2, 0, 0, 2)));
        rows.add(new RequestBreakdown.Row("native", 0, 0.02, 0.04, 0.8, 0.01, 0.87, 0, 0, 0)
                .withLp(0, 0, Double.NaN, Double.NaN));
        String summary = summary(rows);
        // Nearest rank over the 96 timed: P50 the 48th (0.067), P99 the 96th (0.9).
        assertThat(summary).contains("xsched-hpf: the LP's suspension began P50 0.067, P99 0.900 ms after the arrival (96 requests"
                        + " with one; 2 with several), after the request's last kernel had ended in 1 (1 with the LP side unknown);"
                        + " 4 requests (3.9%) never had the LP suspended: GPU span median 0.90 ms against 0.80 for those that"
                        + " suspended it, 1 of the slowest 1; the HP process sent the server its ready and idle in 3 of them")
                .as("a mode without an LP queue has no such line").doesNotContain("native: the LP's suspension")
                .as("the unknown row is left out of the LP cost: 102 known rows, 78.4 ms suspended, 50 ms apart")
                .contains("xsched-hpf: the LP was suspended 100 times (0.98 per HP request), 0.769 ms per HP request, 1.5% of"
                        + " the time (1 with the LP side unknown)")
                .as("the LP yields column averages the known rows only (196 / 102, not 196 / 103); the slowest yielded none")
                .contains("  0.00 |   1.92");
    }

    @Test
    void aRequestsSuspendTimeIsKnownOnlyForOneSuspensionAfterItsArrival() {
        assertThat(RequestBreakdown.suspendMs(1, 250_000)).isEqualTo(0.25);
        assertThat(RequestBreakdown.suspendMs(1, 0)).isZero();
        assertThat(RequestBreakdown.suspendMs(0, 250_000)).as("none").isNaN();
        assertThat(RequestBreakdown.suspendMs(2, 250_000)).as("the latest of several is not the request's first stop").isNaN();
        assertThat(RequestBreakdown.suspendMs(1, -1)).as("begun before the arrival: another request's").isNaN();
    }

    @Test
    void aTailThatArrivedInOneBurstIsNamedWithThePercentileOutsideIt() {
        List<RequestBreakdown.Row> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            double arrival = i * 0.05; // 50 s
            // The slowest 10: 8 of them between 20 and 21 s, two spread; the rest of the run at 1.5 to 1.7 ms.
            boolean inBurst = i >= 400 && i < 420 && i % 2 == 0 && i < 416;
            boolean spread = i == 100 || i == 900;
            double total = inBurst ? 5.0 + i / 1000.0 : spread ? 4.0 : 1.5 + (i % 100) * 0.002;
            rows.add(new RequestBreakdown.Row("xsched-hpf", arrival, 0, 0.05, 1.5, 0, total, 2, 0, 0, 1, 1.6));
        }
        // A mode whose tail is spread over the run: no such line.
        for (int i = 0; i < 1000; i++) {
            rows.add(new RequestBreakdown.Row("standalone-hp", i * 0.05, 0, 0.05, 1.5, 0, i % 100 == 0 ? 4.0 : 1.5, 0, 0, 0));
        }
        String summary = summary(rows);
        // Outside 20.0-20.7 s: 985 requests; the nearest-rank P99 (the 976th, 8th from the top) is 1.5 + 99 * 0.002 ms.
        assertThat(summary).contains("xsched-hpf: 8 of the slowest 10 arrived within 1 s (20-21 s into the window, 1% of the run):"
                        + " a burst (the host, or the JVM, in those seconds), outside which the P99 was 1.70 ms (985 requests)")
                .doesNotContain("standalone-hp: 10 of").doesNotContain("standalone-hp: 8 of");
    }

    @Test
    void whatTheHostDidIsSaidToBeUnknownWhereNoRequestKnowsIt() {
        List<RequestBreakdown.Row> rows = List.of(new RequestBreakdown.Row("native", 0, 2.5, 0.05, 1.7, 0.01, 4.26, 0, 0, 0));
        String summary = summary(rows);
        assertThat(summary).contains("their run-queue wait is unknown here; their time off the CPU is unknown here; "
                + "their park's return is unknown here");
        // The table's unknown parts (run queue, off CPU) print as "-", never as NaN.
        assertThat(summary).doesNotContain("NaN").contains("     - |      -")
                .contains("native: from submission to the last kernel's end P50 1.75, P99 1.75, P99.9 1.75 ms; "
                        + "every request was held up on the host");
    }

    @Test
    void aMeanIsPrintedSixWideWithUnknownAsADashAndNoNegativeZero() {
        assertThat(BreakdownSummary.cell(Double.NaN)).isEqualTo("     -");
        assertThat(BreakdownSummary.cell(-0.001)).isEqualTo("  0.00");
        assertThat(BreakdownSummary.cell(-1.824)).isEqualTo(" -1.82");
        assertThat(BreakdownSummary.cell(2.005)).isEqualTo("  2.01");
        assertThat(BreakdownSummary.cell(0.0)).isEqualTo("  0.00");
    }

    @Test
    void theLpCostLineSetsTheSuspendedTimeBesideTheModesTime() {
        String summary = summary(rows());
        // 706.5 ms suspended over 200 requests 50 ms apart (10 s): 7.1% of the time.
        assertThat(summary).contains(
                "xsched-hpf: the LP was suspended 201 times (1.01 per HP request), 3.533 ms per HP request, 7.1% of the time");
    }

    @Test
    void requestsThatStoppedNoLpKernelAreSetApartWithTheirGpuSpan() {
        List<RequestBreakdown.Row> rows = new ArrayList<>();
        for (int i = 0; i < 95; i++) {
            rows.add(new RequestBreakdown.Row("xsched-hpf", i * 0.05, 0.05, 0.05, 1.7, 0, 1.8, 2, 0, 0, 1, 1.8));
        }
        for (int i = 95; i < 100; i++) {
            rows.add(new RequestBreakdown.Row("xsched-hpf", i * 0.05, 0.05, 0.05, i == 99 ? 2.3 : 2.2, 0, 2.4, 0, 0, 0, 1, 2.4));
        }
        rows.add(new RequestBreakdown.Row("native-priority", 0, 0.05, 0.05, 2.2, 0, 2.4, 0, 0, 0));
        String summary = summary(rows);
        assertThat(summary).contains("xsched-hpf: 5 requests (5.0%) stopped no LP kernel "
                        + "(it ran one that cannot yield, or none): GPU span median 2.20 ms against 1.70 ms for the others; "
                        + "1 of the slowest 1")
                .as("a mode in which nothing yielded has no such line").doesNotContain("native-priority: ");
    }

    @Test
    void modesWithoutLpSuspensionsHaveNoLpCostLine() {
        String summary = summary(List.of(new RequestBreakdown.Row("standalone-hp", 0, 0.1, 0.1, 1.4, 0, 1.6, 0, 0, 0),
                new RequestBreakdown.Row("standalone-hp", 0.05, 0.1, 0.1, 1.4, 0, 1.6, 0, 0, 0)));
        assertThat(summary).contains("standalone-hp").doesNotContain("the LP was suspended");
    }

    @Test
    void aRowReadsBackAsItWasWrittenAndAMalformedOneIsRefused() {
        var row = new RequestBreakdown.Row("xsched-hpf", 1.25, 0.05, 0.4, 2.5, 0.05, 3.0, 1, 0, 0, 1, 3.5).withLp(1, 1, 3.5, 0.125)
                .withTraffic(new SocketTraffic(3, 3, 2, 2)).withHost(new RequestBreakdown.HostTimes(1.875, 0.25, 0.125, 0.0625, 0.0312));
        assertThat(RequestBreakdown.Row.parse(row.csv())).isEqualTo(row);
        var unknown = row.withHost(RequestBreakdown.HostTimes.UNKNOWN);
        assertThat(RequestBreakdown.Row.parse(unknown.csv())).isEqualTo(unknown);
        assertThatThrownBy(() -> RequestBreakdown.Row.parse("xsched-hpf,1.0,2.0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a row of hp-breakdown.csv");
    }

    @Test
    void socketMessagesPerRequestArePrintedOnlyForModesThatCrossedASocket() {
        List<RequestBreakdown.Row> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rows.add(new RequestBreakdown.Row("xsched-hpf", i * 0.05, 0.05, 0.4, 2.5, 0.05, 3.0, 0, 0, 0, 1, 3.5)
                    .withTraffic(new SocketTraffic(i == 3 ? 4 : 2, 2, 2, 2)));
        }
        rows.add(new RequestBreakdown.Row("native", 0, 0.05, 0.4, 2.5, 0.05, 3.0, 0, 0, 0));
        String summary = summary(rows);
        assertThat(summary).contains("xsched-hpf: socket messages per HP request: 2.50 state "
                + "changes to the server (most 4), 2.00 decision frames from it (most 2), 2.00 suspend/resume decisions for the LP "
                + "(most 2)").doesNotContain("native: socket messages");
    }

    @Test
    void modesTheHostHeldUpGetTheirLatencyWithoutTheHostsWakeUps() {
        List<RequestBreakdown.Row> rows = new ArrayList<>();
        // 200 requests: submission to the last kernel's end 0.40 + 0.01 i / 100 ms; every 50th held up 2 ms late.
        for (int i = 0; i < 200; i++) {
            double late = i % 50 == 49 ? 2.0 : 0.02;
            double deviceSide = 0.40 + 0.01 * i / 100;
            rows.add(new RequestBreakdown.Row("standalone-hp", i * 0.05, late, 0.02, deviceSide - 0.02, 0.03,
                    late + deviceSide + 0.03, 0, 0, 0));
        }
        rows.add(new RequestBreakdown.Row("native", 0, 0.05, 0.4, 2.5, 0.05, 3.0, 0, 0, 0));
        String summary = summary(rows);
        // Nearest rank over 200: P50 the 100th (i = 99), P99 the 198th (i = 197), P99.9 the 200th;
        // the 196 not held up (all but i = 49, 99, 149, 199): their 195th and 196th totals, i = 197 and 198.
        assertThat(summary).contains("standalone-hp: from submission to the last kernel's end P50 0.41, P99 0.42, P99.9 0.42 ms;"
                        + " the 196 requests not held up on the host: P99 0.47, P99.9 0.47 ms")
                .as("a mode the host never held up has no such line").doesNotContain("native: from submission");
    }

    @Test
    void readGivesBackTheRowsWriteLeftAndRefusesAFileWithoutTheHeader(@TempDir Path dir) throws Exception {
        List<RequestBreakdown.Row> rows = List.of(
                new RequestBreakdown.Row("xsched-hpf", 1.25, 0.05, 0.4, 2.5, 0.05, 3.0, 1, 0, 0, 1, 3.5)
                        .withTraffic(new SocketTraffic(2, 3, 2, 1)).withHost(new RequestBreakdown.HostTimes(1.875, 0.25, 0.125)),
                new RequestBreakdown.Row("native", 0.5, 0.05, 0.4, 2.5, 0.05, 3.0, 0, 0, 0, 0, 0));
        RequestBreakdown.write(rows, dir);
        assertThat(RequestBreakdown.read(dir)).isEqualTo(rows);
        Files.writeString(dir.resolve(RequestBreakdown.FILE), "mode,latency\nxsched-hpf,1.0\n");
        assertThatThrownBy(() -> RequestBreakdown.read(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not start with the header of hp-breakdown.csv");
    }

    @Test
    void nothingToSummarizePrintsNothing() {
        assertThat(summary(List.of())).isEmpty();
    }

    /** What {@link BreakdownSummary#print} prints for {@code rows}. */
    private static String summary(List<RequestBreakdown.Row> rows) {
        var bytes = new ByteArrayOutputStream();
        BreakdownSummary.print(rows, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
