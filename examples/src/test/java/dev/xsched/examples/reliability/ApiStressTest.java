package dev.xsched.examples.reliability;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The concurrency stress in its CI form: 16 threads, bounded by a number of operations (not by
 * time), on the simulated GPU. The seed is printed; {@code xsched stress --seed N} replays the
 * same mix of operations for as long as wanted.
 */
class ApiStressTest {
    private static final long OPERATIONS = 12_000;

    @Test
    void sixteenThreadsUsingTheApiAtRandomNeitherHangNorLoseWork() throws InterruptedException {
        long seed = Long.getLong("xsched.stress.seed", System.nanoTime());
        System.out.println("ApiStressTest: seed " + seed + " (rerun with -Dxsched.stress.seed=" + seed + ")");
        ApiStress.Report report = ApiStress.run(ApiStress.Options.operations(16, OPERATIONS, seed), null);
        assertThat(report.passed()).as(report.summary()).isTrue();
        assertThat(report.operations()).isEqualTo(OPERATIONS);
        assertThat(report.launches().accepted()).as("tagged launches accepted").isPositive();
    }

    @Test
    void theSameWithSubmittingThreadsDeciding() throws InterruptedException {
        long seed = Long.getLong("xsched.stress.seed", System.nanoTime());
        System.out.println("ApiStressTest (deciding on submit): seed " + seed + " (rerun with -Dxsched.stress.seed=" + seed
                + ", or xsched stress --decide-on-submit --seed " + seed + ")");
        ApiStress.Report report = ApiStress.run(ApiStress.Options.operations(16, OPERATIONS, seed).withDecideOnSubmit(true), null);
        assertThat(report.passed()).as(report.summary()).isTrue();
        assertThat(report.operations()).isEqualTo(OPERATIONS);
        assertThat(report.launches().accepted()).as("tagged launches accepted").isPositive();
    }
}
