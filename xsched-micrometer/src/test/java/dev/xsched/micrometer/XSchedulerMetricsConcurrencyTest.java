package dev.xsched.micrometer;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.Device;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.sim.SimulatedPlatform;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The binder used from many threads while the scheduler runs with its own threads on the simulated
 * GPU in real time: threads create queues, launch, refresh, scrape and close at once. Nothing may
 * throw or hang (a watchdog turns a hang into a failure with every thread's stack), and at the end
 * the registry holds exactly the meters of the queues still open.
 */
class XSchedulerMetricsConcurrencyTest {
    private static final int THREADS = 6;
    private static final int ROUNDS = 40;
    /** Far beyond what the work needs (well under a second); only a hang reaches it. */
    private static final long WATCHDOG_SECONDS = 120;

    @Test
    void createLaunchRefreshScrapeAndCloseFromManyThreadsAtOnce() throws Exception {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().realTime().computeUnits(4)
                .defaultBlockDuration(Duration.ofNanos(2_000)).build();
             XScheduler scheduler = XScheduler.builder().jmx(false).policy(new HoldBatch()).build()) {
            Device gpu = sim.device(0);
            try (HipModule module = gpu.loadModule(gpu.compiler().compile("work.hip", "extern \"C\" __global__ void work() { }"))) {
                Kernel work = module.function("work");
                MeterRegistry registry = new SimpleMeterRegistry();
                XSchedulerMetrics metrics = new XSchedulerMetrics(scheduler);
                metrics.bindTo(registry);
                XQueue resident = scheduler.createQueue(gpu, XQueueConfig.defaults("resident"));

                Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int id = t;
                    threads.add(Thread.ofPlatform().name("metrics-worker-" + t).start(() -> {
                        try {
                            start.await();
                            for (int round = 0; round < ROUNDS; round++) {
                                try (XQueue queue = scheduler.createQueue(gpu, new XQueueConfig((id % 2 == 0 ? "batch-" : "online-") + id, 4, 2))) {
                                    queue.hint(new Hint.Priority(id));
                                    for (int i = 0; i < 8; i++) {
                                        queue.launch(work, LaunchConfig.of(2, 32), KernelArgs.builder().build());
                                    }
                                    metrics.refresh();
                                    registry.getMeters().forEach(m -> m.measure().forEach(s -> s.getValue()));
                                    resident.launch(work, LaunchConfig.of(1, 32), KernelArgs.builder().build());
                                }
                                metrics.refresh();
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }));
                }
                for (Thread thread : threads) {
                    thread.join(TimeUnit.SECONDS.toMillis(WATCHDOG_SECONDS));
                    if (thread.isAlive()) {
                        fail(thread.getName() + " hung; every thread:\n" + threadDump());
                    }
                }
                assertThat(failures).isEmpty();

                resident.synchronize();
                metrics.refresh();
                assertThat(registry.find("xsched.queue.completed").functionCounters()).singleElement()
                        .satisfies(c -> assertThat(c.count()).isEqualTo(THREADS * ROUNDS));
                assertThat(registry.getMeters().stream().map(m -> m.getId().getTag("queue")).filter(q -> q != null)
                        .collect(Collectors.toSet())).containsExactly("resident");
                assertThat(registry.getMeters()).allSatisfy(XSchedulerMetricsConcurrencyTest::measurable);
            }
        }
    }

    private static void measurable(Meter meter) {
        meter.measure().forEach(m -> assertThat(m.getValue()).as(meter.getId().toString()).isNotNaN());
    }

    private static String threadDump() {
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            dump.append(thread).append(' ').append(thread.getState()).append('\n');
            for (StackTraceElement frame : stack) {
                dump.append("    at ").append(frame).append('\n');
            }
        });
        return dump.toString();
    }
}
