package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.hip.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue with the device gate that closes while the policy still suspends and resumes it: what
 * it released runs, and a suspend during the close does not hold it behind the gate again (the
 * close would then wait for as long as the policy keeps the queue suspended, with DROP too).
 * On the simulated GPU in virtual time, the queue driven directly, as the scheduler would.
 */
class ClosingGatedQueueTest {
    private static final long MS = CountedWorkGpu.MS;

    private final CountedWorkGpu sim = new CountedWorkGpu();

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void aSuspendDuringTheCloseDoesNotHoldTheReleasedWorkAgain() {
        Stream stream = sim.gpu.createStream();
        QueueCore queue = sim.queue(new XQueueConfig("gated", 4, 1).withDeviceGate(true), stream);
        for (int i = 0; i < 2; i++) {
            sim.launch(queue, i);
        }
        assertThat(queue.stats().inFlight()).as("both released, each behind the gate").isEqualTo(2);
        sim.clock.advanceBy(1 * MS);
        queue.setSuspended(true); // the first runs; the second is held behind the raised flag
        sim.clock.advanceBy(1 * MS);

        long waitFor = queue.beginClose(true);
        queue.setSuspended(false); // the policy lets it run, then suspends it again while the close waits
        queue.setSuspended(true);
        sim.clock.advanceBy(30 * MS);
        queue.pollCompletions();

        assertThat(sim.ran).as("both released kernels ran").hasValue(2);
        assertThat(queue.isSettled(waitFor)).as("the close's wait ended, the queue still suspended").isTrue();
        queue.shutdown();
        stream.close();
    }
}
