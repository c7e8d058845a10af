package dev.xsched.examples.reliability;

import dev.xsched.hip.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak in its CI form: 100 queues and 200,000 commands on the simulator, every command counted
 * on the device. Memory is sampled but not judged here (a short run in a shared JVM is too noisy
 * for that); {@code xsched soak} judges it over 10 million commands.
 */
class SoakTest {
    @Test
    void everyCommandOfAHundredQueuesRunsExactlyOnce() throws InterruptedException {
        Soak.Report report;
        try (SimulatedPlatform sim = Soak.simulated()) {
            report = Soak.run(new Soak.Options(100, 200_000, 4, 16, 5, "pass-through"), sim, null);
        }
        assertThat(report.passed()).as(report.summary()).isTrue();
        assertThat(report.accepted()).isEqualTo(200_000);
        assertThat(report.samples()).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(s -> assertThat(s.heapUsedKb()).isPositive());
    }
}
