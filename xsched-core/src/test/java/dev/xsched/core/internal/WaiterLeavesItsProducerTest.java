package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeEvent;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.hip.HipException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue blocked on another queue's event record is on that producer's list of waiters only
 * while it is blocked: once its wait is released, or it will release nothing more (its buffer
 * dropped by a failure or a close with DROP, or it closed), it leaves the list (a long-lived
 * producer kept every queue that ever waited on it, closed ones too, and drained them on each
 * record) and tells the scheduler it is no longer blocked (the scheduler lets a producer run on
 * the account of the queues blocked on it). Single-threaded: the races are argued in
 * {@link CrossQueueWaits}; {@link LateWaiterOnReleasedRecordTest} tries the one of registering.
 */
class WaiterLeavesItsProducerTest {
    private final FakeGpu gpu = new FakeGpu();
    private final QueueCore producer = queue(1, "producer", NoQueueListener.INSTANCE);
    private final RecordingQueueListener waiterListener = new RecordingQueueListener();
    private final QueueCore waiter = queue(2, "waiter", waiterListener);
    private final FakeStream waiterStream = (FakeStream) waiter.stream();
    private final FakeEvent produced = (FakeEvent) gpu.createEvent(Set.of());
    private long record;

    /** The producer holds the record, suspended; the waiter waits for it, blocked. */
    @BeforeEach
    void blockTheWaiterOnTheProducer() {
        producer.setSuspended(true);
        record = producer.submit((seq, at) -> new Command.Record(seq, at, produced));
        waiter.submit((seq, at) -> new Command.Wait(seq, at, produced, new Command.ProducerRef(producer, record)));
        assertThat(waiter.blockedOn()).isSameAs(producer);
        assertThat(producer.crossQueueWaits().hasWaiters()).as("the waiter is on the producer's list").isTrue();
    }

    @Test
    void aWaiterLeavesTheProducerOnceItsWaitIsReleased() {
        producer.setSuspended(false);

        assertThat(waiterStream.launches()).as("released by the waiter").containsExactly("wait " + produced.label());
        assertThat(producer.crossQueueWaits().hasWaiters()).as("waiters left on the producer's list").isFalse();
        assertThat(waiter.blockedOn()).isNull();
        assertThat(waiterListener.waits()).containsExactly("blocked on producer", "unblocked");

        // A later wait on the producer registers again, and leaves again.
        producer.setSuspended(true);
        FakeEvent again = (FakeEvent) gpu.createEvent(Set.of());
        long secondRecord = producer.submit((seq, at) -> new Command.Record(seq, at, again));
        waiter.submit((seq, at) -> new Command.Wait(seq, at, again, new Command.ProducerRef(producer, secondRecord)));
        assertThat(producer.crossQueueWaits().hasWaiters()).as("the waiter is on the producer's list again").isTrue();
        producer.setSuspended(false);
        assertThat(producer.crossQueueWaits().hasWaiters()).as("waiters left on the producer's list").isFalse();
        assertThat(waiterListener.waits())
                .containsExactly("blocked on producer", "unblocked", "blocked on producer", "unblocked");
    }

    @Test
    void aWaiterClosedWithDropWhileBlockedLeavesTheProducer() {
        long target = waiter.beginClose(true);

        assertThat(producer.crossQueueWaits().hasWaiters()).as("waiters left on the producer's list").isFalse();
        assertThat(waiter.blockedOn()).as("its dropped wait held it; nothing does now").isNull();
        assertThat(waiterListener.waits()).containsExactly("blocked on producer", "unblocked");
        assertThat(waiter.isSettled(target)).as("the close waits for nothing").isTrue();
        waiter.shutdown();
        producer.setSuspended(false);
        assertThat(waiterStream.log()).as("released by the closed waiter").isEmpty();
    }

    @Test
    void aWaiterDrainingAtItsCloseStaysBlockedUntilShutDownThenLeavesTheProducerForGood() {
        waiter.beginClose(false);
        assertThat(waiter.blockedOn()).as("its wait still runs before the close ends: it still needs the record")
                .isSameAs(producer);
        assertThat(producer.crossQueueWaits().hasWaiters()).isTrue();

        // Shut down with the wait still buffered, as a close whose wait could not settle (a manual
        // scheduler that could not drain the queue) does.
        waiter.shutdown();
        assertThat(producer.crossQueueWaits().hasWaiters()).as("waiters left on the producer's list").isFalse();
        assertThat(waiter.blockedOn()).isNull();
        assertThat(waiterListener.waits()).containsExactly("blocked on producer", "unblocked");

        // A wake-up from a snapshot of the producer's list taken before the waiter left drains it:
        // it neither releases its wait onto its closed stream nor registers with the producer again.
        assertThat(waiter.drain()).isZero();
        assertThat(producer.crossQueueWaits().hasWaiters()).as("the closed waiter registered again").isFalse();
        producer.setSuspended(false);
        assertThat(waiterStream.log()).as("released by the closed waiter").isEmpty();
    }

    @Test
    void aWaiterThatFailsWhileBlockedLeavesTheProducer() {
        waiter.syncPointFailed(new HipException(700, "hipErrorIllegalAddress", "an illegal memory access was encountered",
                "hipEventSynchronize"));

        assertThat(producer.crossQueueWaits().hasWaiters()).as("waiters left on the producer's list").isFalse();
        assertThat(waiter.blockedOn()).as("its wait was dropped by the failure").isNull();
        assertThat(waiterListener.waits()).containsExactly("blocked on producer", "unblocked");
        assertThat(waiter.takeUnreportedFailure()).isNotNull();
    }

    private QueueCore queue(long id, String name, QueueListener listener) {
        return new QueueCore(id, new XQueueConfig(name, 4, 1), gpu.createStream(0), () -> 0L, listener);
    }
}
