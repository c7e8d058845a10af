package dev.xsched.hip.internal.sim;

import dev.xsched.hip.Device;
import dev.xsched.hip.Event;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.RegisteredHostMemory;
import dev.xsched.hip.Stream;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Engine behaviour that the public API cannot reach on purpose. */
class SimEngineTest {
    /** The polled test's block, in real time: long enough that a poller late to start still polls it. */
    private static final long BLOCK_MILLIS = 200;

    /**
     * Through the API a wait can only name a record submitted before it, so streams cannot
     * deadlock. Should a command ever wait for something that never happens, a blocking call in
     * virtual time must say so instead of hanging: here a stream waits for a record never made.
     */
    @Test
    void aBlockingCallThatCouldNeverReturnThrowsInsteadOfHanging() {
        SimulatedPlatform sim = SimulatedPlatform.builder().build();
        Device gpu = sim.device(0);
        SimStream stream = (SimStream) gpu.createStream();
        Stream other = gpu.createStream();
        EventState neverRecorded = new EventState(0);
        StreamState state = stream.state();
        stream.engine().run(() -> state.commands.addLast(new EventWait(0, state, neverRecorded, 1)));

        assertThatThrownBy(stream::synchronize).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("would wait forever")
                .hasMessageContaining("stream " + stream.id() + " (device 0, priority 0) waits for an event record");
        assertThatThrownBy(gpu::synchronize).isInstanceOf(IllegalStateException.class).hasMessageContaining("would wait forever");
        assertThatThrownBy(() -> sim.virtualClock().runUntilIdle()).isInstanceOf(IllegalStateException.class);
        other.synchronize(); // streams not involved are unaffected
        assertThat(other.isIdle()).isTrue();
    }

    /**
     * In real time the engine wakes the threads waiting on it when a command leaves a stream, not
     * whenever time moves: a kernel of 400 blocks on one slot ends 400 block groups, and each used
     * to wake every waiter (on a 2-core host the simulated demo's batch thread and its queue's
     * completion thread each burned a third of a core so, and the online thread waited for a CPU).
     */
    @Test
    void realTimeWaitersWakeWhenACommandLeavesAStreamNotAtEveryBlockGroupsEnd() throws Exception {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().realTime().computeUnits(1).build()) {
            Device gpu = sim.device(0);
            SimStream stream = (SimStream) gpu.createStream();
            Kernel work = emptyKernel(gpu);
            Event done = gpu.createEvent();
            stream.launch(SimulatedPlatform.withBlockDuration(work, Duration.ofNanos(50_000)), LaunchConfig.of(400, 64),
                    KernelArgs.builder().i32(0).build());
            stream.record(done);
            long before = stream.engine().waiterWakeUps();
            CompletableFuture<Void> other = CompletableFuture.runAsync(done::synchronize);
            stream.synchronize();
            other.get(10, TimeUnit.SECONDS); // a watchdog, not a bound

            assertThat(stream.engine().waiterWakeUps() - before)
                    .as("wake-ups for 400 block groups, one kernel and one event record")
                    .isLessThanOrEqualTo(4);
        }
    }

    /**
     * A thread polling an event (an XQueue's waiter spins so for up to its wait spin) took the
     * engine's lock at every poll, tens of thousands of times a second, from the engine thread
     * that plays the GPU. While nothing on the timeline is due, an incomplete event now answers
     * without the lock; the poll still sees the event complete once its kernel has ended, and not
     * before, from several threads at once.
     */
    @Test
    void pollingAnIncompleteEventWhileNothingIsDueTakesNoLockAndStillSeesItComplete() throws Exception {
        // Pollers of their own: the common pool has one thread on two cores, so they would run one
        // after another.
        try (SimulatedPlatform sim = SimulatedPlatform.builder().realTime().computeUnits(1).build();
             ExecutorService polling = Executors.newFixedThreadPool(3)) {
            Device gpu = sim.device(0);
            SimStream stream = (SimStream) gpu.createStream();
            Kernel work = emptyKernel(gpu);
            for (int round = 0; round < 3; round++) {
                Event done = gpu.createEvent();
                long launched = System.nanoTime();
                stream.launch(SimulatedPlatform.withBlockDuration(work, Duration.ofMillis(BLOCK_MILLIS)), LaunchConfig.of(1, 64),
                        KernelArgs.builder().i32(round).build());
                stream.record(done);
                long before = stream.engine().unlockedAnswers();
                var pollers = new java.util.ArrayList<CompletableFuture<Long>>();
                for (int p = 0; p < 3; p++) {
                    pollers.add(CompletableFuture.supplyAsync(() -> {
                        while (!done.isComplete()) {
                            Thread.onSpinWait();
                        }
                        return System.nanoTime();
                    }, polling));
                }
                for (CompletableFuture<Long> poller : pollers) {
                    long sawComplete = poller.get(10, TimeUnit.SECONDS); // a watchdog: a poll that never sees it hangs
                    assertThat(sawComplete - launched).as("a block ends its duration after the launch, not before")
                            .isGreaterThanOrEqualTo(BLOCK_MILLIS * 1_000_000L);
                }
                assertThat(done.isComplete()).isTrue();
                assertThat(stream.engine().unlockedAnswers() - before).as("polls answered without the lock").isPositive();
                done.close();
            }
        }
    }

    /**
     * A store to registered host memory is no simulated event, so the real-time engine thread wakes
     * to look for one, but only while a wait on host memory holds a stream: not while the wait is
     * queued behind a kernel, and not once it has ended.
     */
    @Test
    @HangGuard(seconds = 60) // waits on the engine thread in real time
    void theEngineThreadPollsOnlyWhileAWaitOnHostMemoryHoldsItsStream() throws Exception {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().realTime().computeUnits(1).build();
             Arena arena = Arena.ofShared()) {
            Device gpu = sim.device(0);
            SimStream stream = (SimStream) gpu.createStream();
            MemorySegment word = arena.allocate(4, 4);
            try (RegisteredHostMemory registered = gpu.registerHostMemory(word)) {
                Event kernelDone = gpu.createEvent();
                stream.launch(SimulatedPlatform.withBlockDuration(emptyKernel(gpu), Duration.ofMillis(BLOCK_MILLIS)),
                        LaunchConfig.of(1, 64), KernelArgs.builder().i32(0).build());
                stream.record(kernelDone);
                stream.waitUntilAtLeast(registered, 0, 1);
                Thread.sleep(20);
                long pollsBehindTheKernel = stream.engine().hostWaitPolls();
                if (!kernelDone.isComplete()) { // else this machine took longer than the kernel to get here
                    assertThat(pollsBehindTheKernel).as("a wait behind a running kernel is not polled").isZero();
                }

                kernelDone.synchronize();
                Thread.sleep(10);
                assertThat(stream.engine().hostWaitPolls()).as("polled while the wait holds the stream").isPositive();

                JAVA_INT.varHandle().setVolatile(word, 0L, 1);
                stream.synchronize();
                long polls = stream.engine().hostWaitPolls();
                Thread.sleep(10);
                assertThat(stream.engine().hostWaitPolls()).as("no polling once the wait has ended").isEqualTo(polls);
                stream.close();
            }
        }
    }

    /** An empty kernel taking one int, whose simulated duration the tests set per launch. */
    private static Kernel emptyKernel(Device gpu) {
        return gpu.loadModule(gpu.compiler().compile("w.hip", "extern \"C\" __global__ void work(int tag) { }\n"))
                .function("work", ParamType.INT);
    }

    @Test
    void theTimelineTakesEqualTimesInSchedulingOrder() {
        Timeline timeline = new Timeline();
        StringBuilder order = new StringBuilder();
        timeline.schedule(5, () -> order.append('c'));
        timeline.schedule(1, () -> order.append('a'));
        timeline.schedule(5, () -> order.append('d'));
        timeline.schedule(1, () -> order.append('b'));
        assertThat(timeline.hasDueBy(0)).isFalse();
        while (!timeline.isEmpty()) {
            timeline.takeNext().run();
        }
        assertThat(order).hasToString("abcd");
    }
}
