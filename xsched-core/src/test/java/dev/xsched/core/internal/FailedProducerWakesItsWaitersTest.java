package dev.xsched.core.internal;

import dev.xsched.core.XQueueConfig;
import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeEvent;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.hip.HipException;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue blocked on a producer's event record that the producer will never release, because the
 * producer failed, must go on at once: its wait is released (the record never will be, as when
 * the producer closes) and so is the work behind it, and a wait for that work ends. The producer
 * used to wake its waiters only when it released a record or closed, so they stayed blocked, with
 * their buffered work, until the producer was closed, and for good if it never was.
 *
 * <p>Each way a queue fails is tried: a launch that fails to issue, a sync point that fails to be
 * recorded, and a sync point whose observation fails (as the completion thread reports it). No
 * sleeps: without the wake-up the waiter's wait never ends, and the watchdog turns that into a
 * failure with a thread dump.
 */
class FailedProducerWakesItsWaitersTest {
    private static final Duration HANG = Duration.ofSeconds(60);

    private final FakeGpu gpu = new FakeGpu();
    private final Kernel kernel = gpu.kernel("k");

    @Test
    void whenTheProducersLaunchFailsToIssue() {
        aQueueBlockedOnTheProducerGoesOnWhenItFails(producer -> failIssueThenResume(producer, "launch k#1"));
    }

    @Test
    void whenTheProducersSyncPointFailsToBeRecorded() {
        aQueueBlockedOnTheProducerGoesOnWhenItFails(producer -> failIssueThenResume(producer, "sync"));
    }

    @Test
    void whenObservingTheProducersSyncPointFails() {
        aQueueBlockedOnTheProducerGoesOnWhenItFails(producer -> producer.syncPointFailed(illegalAddress("hipEventSynchronize")));
    }

    private void aQueueBlockedOnTheProducerGoesOnWhenItFails(Consumer<QueueCore> failProducer) {
        Watchdog.within(HANG, () -> {
            // Batch size 1: every release records a sync point right after its command.
            QueueCore producer = new QueueCore(1, new XQueueConfig("producer", 4, 1), gpu.createStream(0), () -> 0L,
                    NoQueueListener.INSTANCE);
            RecordingQueueListener waiterListener = new RecordingQueueListener();
            QueueCore waiter = new QueueCore(2, new XQueueConfig("waiter", 4, 1), gpu.createStream(0), () -> 0L,
                    waiterListener);
            FakeStream waiterStream = (FakeStream) waiter.stream();
            FakeEvent produced = (FakeEvent) gpu.createEvent(Set.of());

            // The producer holds a launch and, behind it, the record the waiter waits for.
            producer.setSuspended(true);
            producer.submit((seq, at) -> new Command.Launch(seq, at, kernel, LaunchConfig.of(1, 1), FakeGpu.tag(1)));
            long record = producer.submit((seq, at) -> new Command.Record(seq, at, produced));
            waiter.submit((seq, at) -> new Command.Wait(seq, at, produced, new Command.ProducerRef(producer, record)));
            long last = waiter.submit((seq, at) -> new Command.Launch(seq, at, kernel, LaunchConfig.of(1, 1), FakeGpu.tag(2)));
            assertThat(waiter.blockedOn()).as("the waiter waits for the producer's record").isSameAs(producer);
            assertThat(waiterStream.log()).as("released by the waiter while blocked").isEmpty();

            failProducer.accept(producer);

            assertThat(producer.takeUnreportedFailure()).as("the producer's failure").isNotNull();
            assertThat(producer.stats().launched()).as("the record was never released").isLessThan(record);
            assertThat(waiterStream.launches()).as("the waiter's wait and launch, released once the producer failed")
                    .containsExactly("wait " + produced.label(), "launch k#2");
            waiterStream.completeAll();
            waiter.awaitSettled(last);
            waiter.checkCompleted(last);
            assertThat(waiter.blockedOn()).as("the waiter is no longer blocked").isNull();
            assertThat(waiterListener.waits()).containsExactly("blocked on producer", "unblocked");
        });
    }

    /** Resumes the producer with the fake GPU failing the issue of {@code what} to its stream. */
    private void failIssueThenResume(QueueCore producer, String what) {
        int streamId = ((FakeStream) producer.stream()).id();
        gpu.onIssue = issued -> {
            if (issued.streamId() == streamId && issued.what().equals(what)) {
                throw illegalAddress("issue of " + what);
            }
        };
        producer.setSuspended(false);
    }

    private static HipException illegalAddress(String call) {
        return new HipException(700, "hipErrorIllegalAddress", "an illegal memory access was encountered", call);
    }
}
