package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XQueueStats;
import dev.xsched.hip.Stream;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue with a drain budget on the simulated GPU in virtual time (launches run only as the test
 * moves the clock; the queue in manual mode, the test observing its sync points): long kernels
 * narrow its window to two in flight at its first sync point, short ones widen it to the
 * configured threshold, so that the sync points thin out.
 */
class AdaptiveWindowTest {
    private static final Duration BUDGET = Duration.ofMillis(1);
    private static final XQueueConfig CONFIG = new XQueueConfig("adaptive", 64, 32).withDrainBudget(BUDGET);

    @Test
    void tenMillisecondKernelsKeepTwoInFlight() {
        Watchdog.within(Duration.ofSeconds(60), () -> {
            try (CountedWorkGpu sim = new CountedWorkGpu(Duration.ofMillis(10))) {
                Stream stream = sim.gpu.createStream();
                QueueCore queue = sim.queue(CONFIG, stream);
                int launches = 40;
                launch(sim, queue, launches);
                assertThat(queue.stats().inFlight()).as("released before any drain was measured").isEqualTo(XQueueConfig.ADAPTIVE_START);
                int maxInFlightAfterNarrowing = 0;
                boolean narrowed = false;
                while (queue.stats().completed() < launches) {
                    step(sim, queue, Duration.ofMillis(10));
                    if (narrowed) {
                        maxInFlightAfterNarrowing = Math.max(maxInFlightAfterNarrowing, queue.stats().inFlight());
                    } else if (queue.stats().inFlight() <= 2) {
                        narrowed = true;
                    }
                }
                assertThat(narrowed).isTrue();
                assertThat(window(queue)).as("threshold, batch size").containsExactly(2, 1);
                assertThat(maxInFlightAfterNarrowing).isLessThanOrEqualTo(2);
                close(queue, stream);
            }
        });
    }

    @Test
    void oneMicrosecondKernelsWidenTheWindowToTheThreshold() {
        Watchdog.within(Duration.ofSeconds(60), () -> {
            try (CountedWorkGpu sim = new CountedWorkGpu(Duration.ofNanos(1_000))) {
                Stream stream = sim.gpu.createStream();
                QueueCore queue = sim.queue(CONFIG, stream);
                launch(sim, queue, 1_000);
                runUntilCompleted(sim, queue, 1_000, Duration.ofNanos(20_000));
                assertThat(window(queue)).as("threshold, batch size").containsExactly(64, 32);
                close(queue, stream);
            }
        });
    }

    @Test
    void aFixedWindowDoesNotMove() {
        Watchdog.within(Duration.ofSeconds(60), () -> {
            try (CountedWorkGpu sim = new CountedWorkGpu(Duration.ofMillis(10))) {
                Stream stream = sim.gpu.createStream();
                QueueCore queue = sim.queue(CONFIG.withDrainBudget(Duration.ZERO), stream);
                launch(sim, queue, 80);
                assertThat(queue.stats().inFlight()).isEqualTo(64);
                runUntilCompleted(sim, queue, 80, Duration.ofMillis(10));
                assertThat(window(queue)).containsExactly(64, 32);
                close(queue, stream);
            }
        });
    }

    private static void launch(CountedWorkGpu sim, QueueCore queue, int launches) {
        for (int i = 0; i < launches; i++) {
            sim.launch(queue, i);
        }
    }

    private static void runUntilCompleted(CountedWorkGpu sim, QueueCore queue, int launches, Duration step) {
        while (queue.stats().completed() < launches) {
            step(sim, queue, step);
        }
    }

    /** The window as the queue's statistics report it: threshold, batch size. */
    private static int[] window(QueueCore queue) {
        XQueueStats stats = queue.stats();
        return new int[] {stats.threshold(), stats.batchSize()};
    }

    private static void close(QueueCore queue, Stream stream) {
        queue.beginClose(false);
        queue.shutdown();
        stream.close();
    }

    /**
     * Manual mode, as a manual scheduler drives a queue (no completion thread, whose blocking waits
     * would move virtual time by themselves): moves the clock by {@code step}, then looks at the
     * sync points and releases what their completion lets go.
     */
    private static void step(CountedWorkGpu sim, QueueCore queue, Duration step) {
        sim.clock.advanceBy(step.toNanos());
        queue.pollCompletions();
        queue.drain();
    }
}
