package dev.xsched.examples.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ClockReadCostTest {
    @Test
    void aReadCostsAPositiveTimeAndTheSourceIsNamed() {
        ClockReadCost cost = ClockReadCost.measure();
        // No bound on speed is asserted (that would be a timing test); only that the figure is a
        // measurement: positive and finite, well under a millisecond per read on any host.
        assertThat(cost.nanosPerRead()).isPositive().isLessThan(1e6);
        assertThat(cost.source()).isNotBlank();
    }

    @Test
    void theSourceIsTheFilesFirstLineOrUnknown(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("current_clocksource");
        Files.writeString(file, "kvm-clock\n");
        assertThat(ClockReadCost.currentSource(file)).isEqualTo("kvm-clock");
        Files.writeString(file, "\n");
        assertThat(ClockReadCost.currentSource(file)).isEqualTo("unknown");
        assertThat(ClockReadCost.currentSource(dir.resolve("absent"))).isEqualTo("unknown");
    }
}
