package dev.xsched.core;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.core.fake.HoldPolicy;
import dev.xsched.hip.Event;
import dev.xsched.hip.HipException;
import dev.xsched.hip.LaunchConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The scheduler lets a queue run while a running queue is blocked on it (priority inheritance:
 * the waiter lends its right to run); it reads who is blocked on whom from the queues at each
 * decision. A waiter that fails while blocked releases nothing more, its wait dropped with its
 * buffer, so it must no longer count as blocked: it kept lending its right to run to the
 * producer for as long as it stayed open, so the policy could not hold the producer back (and a
 * {@code DecisionSource} could never suspend it on arrival: a queue another waits on is exempt).
 */
class FailedWaiterLendsNothingTest {
    private final FakeGpu gpu = new FakeGpu();

    @Test
    void aQueueThatFailsWhileBlockedOnAHeldProducerNoLongerLendsItItsRightToRun() {
        HoldPolicy hold = new HoldPolicy("producer", true);
        XScheduler scheduler = XScheduler.builder().manual(() -> gpu.streams().forEach(s -> s.completeNext(1))).policy(hold).jmx(false).build();
        XQueue producer = scheduler.createQueue(gpu, XQueueConfig.defaults("producer"));
        // A batch longer than the burst: the sync point after the launch is recorded by the next pump.
        XQueue consumer = scheduler.createQueue(gpu, XQueueConfig.defaults("consumer").withThreshold(4).withBatchSize(4));
        FakeStream consumerStream = (FakeStream) consumer.core().stream();
        scheduler.pump();
        assertThat(producer.stats().suspended()).as("held by the policy").isTrue();

        Event done = gpu.createEvent();
        producer.record(done);
        consumer.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(1));
        consumer.waitFor(done);
        assertThat(consumer.core().blockedOn()).as("the consumer waits for the held producer's record")
                .isSameAs(producer.core());

        // Recording the sync point after the consumer's launch fails: the consumer fails, its wait dropped.
        gpu.onIssue = issued -> {
            if (issued.streamId() == consumerStream.id() && issued.what().equals("sync")) {
                throw new HipException(700, "hipErrorIllegalAddress", "an illegal memory access was encountered",
                        "hipEventRecord");
            }
        };
        scheduler.pump();

        assertThat(producer.stats().suspended()).as("the producer, held by the policy and lent nothing").isTrue();
        assertThat(consumer.core().blockedOn()).as("the failed consumer waits for nothing").isNull();
        assertThatThrownBy(consumer::synchronize).isInstanceOf(HipException.class);

        hold.hold = false;
        scheduler.close();
    }
}
