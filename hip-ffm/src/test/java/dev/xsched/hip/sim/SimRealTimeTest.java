package dev.xsched.hip.sim;

import dev.xsched.hip.Device;
import dev.xsched.hip.Event;
import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.Stream;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The wall-clock mode: an engine thread completes work when it falls due; blocking calls wait.
 * Nothing here depends on how fast the machine is: durations are checked against the model's
 * scheduled times, and the only wall-clock check is a lower bound the engine guarantees (it never
 * completes work before it falls due), which holds however loaded the machine.
 */
@HangGuard(seconds = 120) // waits on a simulated GPU's engine thread, in real time
class SimRealTimeTest {
    private static final Duration BLOCK = Duration.ofMillis(3);

    @Test
    void workCompletesAtItsModelledWallClockTime() throws Exception {
        KernelRecorder recorder = new KernelRecorder();
        try (SimulatedPlatform sim = SimulatedPlatform.builder().realTime().computeUnits(1).listener(recorder).build()) {
            assertThat(Thread.getAllStackTraces().keySet()).anySatisfy(t -> {
                assertThat(t.getName()).isEqualTo("xsched-sim-engine");
                assertThat(t.isDaemon()).isTrue();
            });
            Device gpu = sim.device(0);
            Stream stream = gpu.createStream();
            Event start = gpu.createEvent();
            Event end = gpu.createEvent();
            long before = System.nanoTime();
            stream.record(start);
            SimKit.launch(stream, SimKit.work(gpu), 2, BLOCK, 1); // one slot: two blocks in a row
            stream.record(end);

            // Another thread waits on the event while this one waits on the stream.
            CompletableFuture<Float> elapsed = CompletableFuture.supplyAsync(() -> {
                end.synchronize();
                return end.elapsedMillis(start);
            });
            stream.synchronize();
            long waited = System.nanoTime() - before;

            KernelRecord record = recorder.only("work");
            assertThat(record.runNanos()).isEqualTo(2 * BLOCK.toNanos()); // scheduled times, not wake-up times
            assertThat(waited).isGreaterThanOrEqualTo(2 * BLOCK.toNanos());
            assertThat(sim.clock().nanoTime()).isGreaterThanOrEqualTo(record.endNanos());
            // The start event completed when it was submitted (at or after the platform's origin), the end
            // event together with the kernel's last block: so the interval covers the kernel's run and
            // ends at its scheduled end. (A wall-clock upper bound would fail on a loaded machine.)
            float elapsedMillis = elapsed.get(10, TimeUnit.SECONDS); // the timeout is a watchdog, not a bound
            assertThat(elapsedMillis).isGreaterThanOrEqualTo(2 * BLOCK.toNanos() / 1e6f)
                    .isLessThanOrEqualTo(record.endNanos() / 1e6f);
            assertThat(stream.isIdle()).isTrue();
        }
    }

    @Test
    void closingThePlatformStopsItsEngineThread() throws Exception {
        Set<Thread> before = engineThreads();
        SimulatedPlatform sim = SimulatedPlatform.builder().realTime().build();
        Set<Thread> started = engineThreads();
        started.removeAll(before);
        assertThat(started).hasSize(1);
        Thread engine = started.iterator().next();
        Stream stream = sim.device(0).createStream();
        sim.close();
        assertThat(sim.isClosed()).isTrue();
        assertThatThrownBy(stream::synchronize).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        stream.close(); // still allowed: nothing left to wait for
        engine.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(engine.isAlive()).isFalse();
        assertThat(sim.toString()).contains("real time");
    }

    private static Set<Thread> engineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("xsched-sim-engine") && t.isAlive())
                .collect(Collectors.toCollection(HashSet::new));
    }

    /**
     * An Error thrown by a kernel body (on the engine thread, or on a caller catching up) is the
     * device's sticky failure, as an exception is: waiters get it instead of waiting forever.
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anErrorInAKernelBodyFailsTheDeviceInsteadOfHangingItsWaiters() throws Exception {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().realTime()
                .kernelBody("work", (config, args, memory) -> {
                    throw new StackOverflowError("deep kernel");
                }).build()) {
            Device gpu = sim.device(0);
            Stream stream = gpu.createStream();
            SimKit.launch(stream, SimKit.work(gpu), 1, BLOCK, 0);
            CompletableFuture<Throwable> streamWaiter = CompletableFuture.supplyAsync(() -> {
                try {
                    stream.synchronize();
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });

            assertThatThrownBy(gpu::synchronize).isInstanceOfSatisfying(HipException.class, e -> {
                assertThat(e.is(HipError.LAUNCH_FAILURE)).isTrue();
                assertThat(e).rootCause().isInstanceOf(StackOverflowError.class);
            });
            assertThat(streamWaiter.get(20, TimeUnit.SECONDS)).isInstanceOf(HipException.class);
        }
    }

    /**
     * An event query answers without the engine's lock while nothing is due, but not once its
     * device failed: it reports the sticky failure, as {@code cuEventQuery} does.
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anEventQueryReportsTheDevicesFailureEvenWhileNothingIsDue() {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().realTime().computeUnits(2)
                .kernelBody("work", (config, args, memory) -> {
                    if (args.bits(0) == 1) {
                        throw new ArithmeticException("tag 1 fails");
                    }
                }).build()) {
            Device gpu = sim.device(0);
            Stream failing = gpu.createStream();
            Stream slow = gpu.createStream();
            Event afterSlow = gpu.createEvent();
            SimKit.launch(slow, SimKit.work(gpu), 1, Duration.ofHours(1), 0);
            slow.record(afterSlow);
            SimKit.launch(failing, SimKit.work(gpu), 1, BLOCK, 1);
            assertThatThrownBy(failing::synchronize).isInstanceOf(HipException.class);

            assertThatThrownBy(afterSlow::isComplete).isInstanceOfSatisfying(HipException.class,
                    e -> assertThat(e.is(HipError.LAUNCH_FAILURE)).isTrue());
        }
    }
}
