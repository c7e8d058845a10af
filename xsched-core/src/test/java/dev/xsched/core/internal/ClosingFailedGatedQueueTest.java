package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.Stream;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue that failed settles its waits at the failure, not when the work it released before
 * completes; closing it must still not free the memory that work uses. With the device gate, the
 * stream holds a memory wait on the queue's stop flag before each gated command: the close freed
 * the flag while such a wait was still to come, and the wait then read freed memory (found by
 * {@code xsched stress} with injected failures: on the simulator, a sticky illegal-address error
 * that failed every queue of the device; on a GPU, a stream wait on freed memory). On the
 * simulated GPU in virtual time, the queue driven directly, as the scheduler would.
 */
class ClosingFailedGatedQueueTest {
    private static final long MS = CountedWorkGpu.MS;

    private final CountedWorkGpu sim = new CountedWorkGpu();

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void closingAFailedGatedQueueWaitsForTheWorkItReleasedBeforeFreeingTheFlag() {
        Watchdog.within(Duration.ofSeconds(60), () -> {
            Stream stream = sim.gpu.createStream();
            QueueCore queue = sim.queue(new XQueueConfig("gated", 4, 1).withDeviceGate(true), stream);
            for (int i = 0; i < 2; i++) {
                sim.launch(queue, 0);
            }
            assertThat(queue.stats().inFlight()).as("both released, each behind the gate").isEqualTo(2);
            // The third launch fails at its call: the queue fails with two gated launches in its stream.
            sim.launchFailing(queue);
            assertThat(queue.isSettled(queue.submittedSeq())).as("a failed queue's waits settle at once").isTrue();

            queue.beginClose(false);
            AtomicReference<Throwable> threw = new AtomicReference<>();
            Thread closer = Thread.ofPlatform().name("closer").start(() -> {
                try {
                    queue.shutdown();
                } catch (Throwable t) {
                    threw.set(t);
                }
            });
            // The close first either ends (it did not wait for the stream) or blocks (waiting for
            // it); then the two launches (10 ms each) run their course.
            sim.advanceOnceBlocked(closer, 30 * MS);

            assertThat(threw.get()).as("what the close threw").isNull();
            assertThat(sim.ran).as("both launches released before the failure ran").hasValue(2);
            // The device is healthy: no wait read freed memory.
            try (Stream other = sim.gpu.createStream()) {
                other.launch(sim.work, LaunchConfig.of(1, 1), KernelArgs.builder().i32(0).build());
                sim.clock.advanceBy(20 * MS);
                other.synchronize();
            }
            assertThat(sim.ran).hasValue(3);
            stream.close();
        });
    }
}
