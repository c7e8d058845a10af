package dev.xsched.examples.scenario;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StallWatchTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final AtomicLong completions = new AtomicLong();
    private final StallWatch watch = new StallWatch(completions::get, now::get, Duration.ofSeconds(30), () -> "\"scenario-hp\" stack");

    @Test
    void reportsOnceWhenNothingCompletesForTheLimit() {
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(watch.check()).isEmpty();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(watch.check()).hasValueSatisfying(report -> assertThat(report)
                .startsWith("no HP request or LP iteration completed for 30 s (0 so far)")
                .endsWith("\"scenario-hp\" stack"));
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        assertThat(watch.check()).as("one report per mode").isEmpty();
    }

    @Test
    void aCompletionRestartsTheLimit() {
        now.addAndGet(Duration.ofSeconds(25).toNanos());
        completions.incrementAndGet();
        assertThat(watch.check()).isEmpty();
        now.addAndGet(Duration.ofSeconds(25).toNanos());
        assertThat(watch.check()).as("25 s since the last completion").isEmpty();
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(watch.check()).hasValueSatisfying(report -> assertThat(report).contains("(1 so far)"));
    }

    @Test
    void refusesANonPositiveLimit() {
        assertThatThrownBy(() -> new StallWatch(completions::get, now::get, Duration.ZERO, () -> ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }
}
