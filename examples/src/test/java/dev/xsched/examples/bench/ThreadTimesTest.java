package dev.xsched.examples.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ThreadTimesTest {
    @Test
    void offTheCpuIsWallTimeLessCpuTimeWhileTheThreadKeptItsCpu() {
        var before = new ThreadTimes.Sample(1_000_000, 500_000, 200_000, 7);
        var after = new ThreadTimes.Sample(4_000_000, 2_500_000, 200_000, 7);
        // 3 ms of wall time, 2 on the CPU, never switched out: 1 ms in which the virtual CPU did not run it.
        assertThat(before.offCpuMillisUntil(after)).isEqualTo(1.0);
        assertThat(before.runQueueMillisUntil(new ThreadTimes.Sample(4_000_000, 2_000_000, 700_000, 8))).isEqualTo(0.5);
        // Readings a little apart may overlap by their own cost: never below zero.
        assertThat(before.offCpuMillisUntil(new ThreadTimes.Sample(1_100_000, 610_000, 200_000, 7))).isZero();
    }

    @Test
    void aThreadSwitchedOutOrAnUnknownPartLeavesItUnknown() {
        var known = new ThreadTimes.Sample(0, 0, 0, 3);
        assertThat(known.offCpuMillisUntil(new ThreadTimes.Sample(5_000_000, 1_000_000, 0, 4)))
                .as("switched out (it slept or was preempted): the gap is not the hypervisor's").isNaN();
        assertThat(known.offCpuMillisUntil(new ThreadTimes.Sample(10, -1, 0, 3))).isNaN();
        assertThat(known.offCpuMillisUntil(new ThreadTimes.Sample(10, 0, -1, -1))).isNaN();
        assertThat(known.runQueueMillisUntil(new ThreadTimes.Sample(10, 0, -1, -1))).isNaN();
    }

    @Test
    void aSchedstatLineGivesTheRunDelayAndTheTimeslices() {
        assertThat(ThreadTimes.parse(5, 6, "123456 7890 42\n")).isEqualTo(new ThreadTimes.Sample(5, 6, 7890, 42));
        assertThatThrownBy(() -> ThreadTimes.parse(0, 0, "12 34")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a schedstat line");
    }

    @Test
    void onLinuxTheCallingThreadsRunQueueWaitIsReadAndNeverFalls() {
        assumeTrue(Files.isReadable(Path.of("/proc/thread-self/schedstat")), "no /proc/thread-self/schedstat here (not Linux)");
        try (ThreadTimes times = ThreadTimes.ofCurrentThread()) {
            long first = times.sample().runDelayNanos();
            long second = times.sampleAfter().runDelayNanos();
            assertThat(first).isNotNegative();
            assertThat(second).isGreaterThanOrEqualTo(first);
        }
    }

    /**
     * On this machine: a thread that sleeps is switched out (its time off the CPU is unknown, not
     * its sleep); one that spins keeps its CPU or, on a busy machine, is preempted (then unknown
     * too), and when it kept its CPU it lost little of the spin (loose: a busy VM may steal some).
     */
    @Test
    void thisThreadsSleepIsNotCountedAsStolenAndItsSpinIsMeasured() {
        try (ThreadTimes times = ThreadTimes.ofCurrentThread()) {
            ThreadTimes.Sample start = times.sample();
            if (start.cpuNanos() < 0 || start.runDelayNanos() < 0) {
                assertThat(Files.isReadable(Path.of("/proc/thread-self/schedstat"))).as("unknown only off Linux").isFalse();
                return;
            }
            LockSupport.parkNanos(20_000_000);
            assertThat(start.offCpuMillisUntil(times.sampleAfter())).isNaN();

            ThreadTimes.Sample spinFrom = times.sample();
            while (System.nanoTime() - spinFrom.wallNanos() < 20_000_000) {
                Thread.onSpinWait();
            }
            ThreadTimes.Sample spun = times.sampleAfter();
            double off = spinFrom.offCpuMillisUntil(spun);
            // How much of the spin the host took away is the machine's (a hypervisor may steal
            // most of it); that it is a share of the spin's wall time is the code's.
            double wallMs = (spun.wallNanos() - spinFrom.wallNanos()) / 1e6;
            assertThat(Double.isNaN(off) ? spun.timeslices() > spinFrom.timeslices() : off >= 0 && off <= wallMs)
                    .as("off %.3f ms of %.3f ms, timeslices %d -> %d", off, wallMs, spinFrom.timeslices(), spun.timeslices())
                    .isTrue();
        }
    }
}
