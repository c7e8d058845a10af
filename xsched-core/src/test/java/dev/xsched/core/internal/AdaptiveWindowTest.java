package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.hip.Device;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.Stream;
import dev.xsched.hip.sim.KernelCostModel;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.hip.sim.VirtualClock;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue with a drain budget on the simulated GPU in virtual time (launches run only as the test
 * moves the clock; the queue in manual mode, the test observing its sync points): long kernels narrow its window to two in flight at its first sync point, short
 * ones widen it to the configured threshold, so that the sync points thin out.
 */
class AdaptiveWindowTest {
    private static final Duration BUDGET = Duration.ofMillis(1);
    private static final XQueueConfig CONFIG = new XQueueConfig("adaptive", 64, 32).withDrainBudget(BUDGET);

    @Test
    void tenMillisecondKernelsKeepTwoInFlight() {
        Watchdog.within(Duration.ofSeconds(60), () -> {
            try (Gpu gpu = new Gpu(Duration.ofMillis(10))) {
                Stream stream = gpu.device.createStream();
                QueueCore queue = new QueueCore(1, CONFIG, stream, gpu.clock::nanoTime, NoQueueListener.INSTANCE);
                int launches = 40;
                for (int i = 0; i < launches; i++) {
                    gpu.launch(queue);
                }
                assertThat(queue.stats().inFlight()).as("released before any drain was measured").isEqualTo(XQueueConfig.ADAPTIVE_START);
                int maxInFlightAfterNarrowing = 0;
                boolean narrowed = false;
                while (queue.stats().completed() < launches) {
                    step(gpu, queue, Duration.ofMillis(10));
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
            try (Gpu gpu = new Gpu(Duration.ofNanos(1_000))) {
                Stream stream = gpu.device.createStream();
                QueueCore queue = new QueueCore(1, CONFIG, stream, gpu.clock::nanoTime, NoQueueListener.INSTANCE);
                int launches = 1_000;
                for (int i = 0; i < launches; i++) {
                    gpu.launch(queue);
                }
                while (queue.stats().completed() < launches) {
                    step(gpu, queue, Duration.ofNanos(20_000));
                }
                assertThat(window(queue)).as("threshold, batch size").containsExactly(64, 32);
                close(queue, stream);
            }
        });
    }

    @Test
    void aFixedWindowDoesNotMove() {
        Watchdog.within(Duration.ofSeconds(60), () -> {
            try (Gpu gpu = new Gpu(Duration.ofMillis(10))) {
                Stream stream = gpu.device.createStream();
                QueueCore queue = new QueueCore(1, CONFIG.withDrainBudget(Duration.ZERO), stream, gpu.clock::nanoTime,
                        NoQueueListener.INSTANCE);
                for (int i = 0; i < 80; i++) {
                    gpu.launch(queue);
                }
                assertThat(queue.stats().inFlight()).isEqualTo(64);
                while (queue.stats().completed() < 80) {
                    step(gpu, queue, Duration.ofMillis(10));
                }
                assertThat(window(queue)).containsExactly(64, 32);
                close(queue, stream);
            }
        });
    }

    /** The window as the queue's statistics report it: threshold, batch size. */
    private static int[] window(QueueCore queue) {
        return new int[] {queue.stats().threshold(), queue.stats().batchSize()};
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
    private static void step(Gpu gpu, QueueCore queue, Duration step) {
        gpu.clock.advanceBy(step.toNanos());
        queue.pollCompletions();
        queue.drain();
    }

    /** A simulated GPU whose every launch of {@code work} lasts {@code duration} of virtual time. */
    private static final class Gpu implements AutoCloseable {
        final SimulatedPlatform sim;
        final VirtualClock clock;
        final Device device;
        private final HipModule module;
        private final Kernel work;

        Gpu(Duration duration) {
            sim = SimulatedPlatform.builder().computeUnits(4).hardwarePriority(false)
                    .costModel(KernelCostModel.fixed(duration)).build();
            clock = sim.virtualClock();
            device = sim.device(0);
            module = device.loadModule(device.compiler().compile("work.hip", "extern \"C\" __global__ void work(int n) { }"));
            work = module.function("work", ParamType.INT);
        }

        void launch(QueueCore queue) {
            queue.submit((seq, at) -> new Command.Launch(seq, at, work, LaunchConfig.of(4, 256), KernelArgs.builder().i32(0).build()));
        }

        @Override
        public void close() {
            module.close();
            sim.close();
        }
    }
}
