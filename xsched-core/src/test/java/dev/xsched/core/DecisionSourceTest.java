package dev.xsched.core;

import dev.xsched.core.coordination.DecisionSource;
import dev.xsched.core.coordination.ScheduledQueue;
import dev.xsched.core.fake.FakeGpu;
import dev.xsched.hip.Event;
import dev.xsched.hip.LaunchConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** XScheduler with its decisions from a {@link DecisionSource} (what a scheduler server plugs into). */
class DecisionSourceTest {
    private final FakeGpu gpu = new FakeGpu();

    /** Answers from a map the test fills; records what it was shown. */
    private static final class Scripted implements DecisionSource {
        final Map<Long, Boolean> answer = new HashMap<>();
        final List<List<ScheduledQueue>> seen = new ArrayList<>();
        Scheduling scheduling;
        boolean closed;

        @Override
        public void attach(String schedulerName, Scheduling scheduling) {
            this.scheduling = scheduling;
        }

        /** Runs once inside the next decide, after its answer is taken: a decision arriving meanwhile. */
        Runnable duringNextDecide;

        @Override
        public Map<Long, Boolean> decide(long now, List<ScheduledQueue> queues) {
            seen.add(queues);
            Map<Long, Boolean> taken = closed ? Map.of() : Map.copyOf(answer);
            Runnable arrival = duringNextDecide;
            duringNextDecide = null;
            if (arrival != null) {
                arrival.run();
            }
            return taken;
        }

        @Override
        public String describe() {
            return "scripted";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void theSourceDecidesLendingStillAppliesAndClosingFailsOpen() {
        Scripted source = new Scripted();
        XScheduler scheduler = XScheduler.builder().manual(() -> gpu.streams().forEach(s -> s.completeNext(1)))
                .decisionSource(source).jmx(false).build();
        assertThat(source.scheduling).isNotNull();
        assertThat(scheduler.policyName()).isEqualTo("scripted");
        XQueue producer = scheduler.createQueue(gpu, XQueueConfig.defaults("producer"));
        XQueue consumer = scheduler.createQueue(gpu, XQueueConfig.defaults("consumer"));
        source.answer.put(producer.id(), true);
        scheduler.pump();
        assertThat(producer.stats().suspended()).isTrue();
        assertThat(consumer.stats().suspended()).as("a queue the source leaves out runs").isFalse();
        assertThat(source.seen.getLast()).extracting(q -> q.queue().name()).containsExactly("producer", "consumer");

        // The consumer waits on the suspended producer's event: lent the right to run, as with a local policy.
        Event done = gpu.createEvent();
        producer.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(1));
        producer.record(done);
        consumer.waitFor(done);
        scheduler.pump();
        assertThat(source.seen).as("the source saw the consumer waiting on the producer").anySatisfy(round ->
                assertThat(round).filteredOn(q -> q.queue() == producer).singleElement()
                        .satisfies(q -> assertThat(q.status().lendersOf()).containsExactly(consumer.id())));
        assertThat(gpu.streams().get(0).log()).contains("record " + ((FakeGpu.FakeEvent) done).label());
        consumer.synchronize();

        // A decision arriving from elsewhere: the source asks for a new round.
        source.answer.put(producer.id(), false);
        source.scheduling.redecide();
        scheduler.pump();
        assertThat(producer.stats().suspended()).isFalse();

        source.answer.put(producer.id(), true);
        scheduler.pump();
        scheduler.close();
        assertThat(source.closed).isTrue();
        assertThat(producer.stats().suspended()).as("closing fails open, so the drain finishes").isFalse();
    }

    @Test
    void decisionsAppliedOnArrivalTakeEffectAtOnceButNeverSuspendAQueueThatIsWaitedOn() {
        Scripted source = new Scripted();
        XScheduler scheduler = XScheduler.builder().manual(() -> gpu.streams().forEach(s -> s.completeNext(1)))
                .decisionSource(source).jmx(false).build();
        // One command in flight at a time: the producer's later commands stay buffered while it runs.
        XQueue producer = scheduler.createQueue(gpu, XQueueConfig.defaults("producer").withThreshold(1).withBatchSize(1));
        XQueue consumer = scheduler.createQueue(gpu, XQueueConfig.defaults("consumer"));
        scheduler.pump();

        source.answer.put(consumer.id(), true);
        source.scheduling.apply(Map.of(consumer.id(), true, 4242L, true));
        assertThat(consumer.stats().suspended()).as("applied on the calling thread, before any round").isTrue();
        scheduler.pump();
        assertThat(consumer.stats().suspended()).as("the round asked for agrees").isTrue();
        source.answer.remove(consumer.id());
        source.scheduling.apply(Map.of(consumer.id(), false));
        assertThat(consumer.stats().suspended()).isFalse();

        // The consumer waits on an event the running producer has not released yet: an arriving
        // suspend of the producer is left to the round, which lends it the consumer's right to run.
        Event done = gpu.createEvent();
        producer.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(1));
        producer.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(2));
        producer.record(done);
        consumer.waitFor(done);
        assertThat(consumer.core().blockedOn()).isSameAs(producer.core());
        source.answer.put(producer.id(), true);
        source.scheduling.apply(Map.of(producer.id(), true));
        assertThat(producer.stats().suspended()).as("never suspended under a waiter on arrival").isFalse();
        scheduler.pump();
        assertThat(producer.stats().suspended()).as("lent by the waiting consumer").isFalse();
        consumer.synchronize();
        scheduler.close();
    }

    @Test
    void aRoundNeverAppliesAnAnswerOlderThanADecisionThatArrivedWhileItRan() {
        Scripted source = new Scripted();
        XScheduler scheduler = XScheduler.builder().manual(null).decisionSource(source).jmx(false).build();
        XQueue queue = scheduler.createQueue(gpu, XQueueConfig.defaults("b"));
        source.answer.put(queue.id(), true);
        scheduler.pump();
        assertThat(queue.stats().suspended()).isTrue();
        long suspensions = queue.stats().suspensions();

        // A resume arrives while a round runs that took the old answer (suspend): as the I/O thread
        // of a server client does it, the new answer first, then applied at once.
        source.scheduling.redecide();
        source.duringNextDecide = () -> {
            source.answer.put(queue.id(), false);
            source.scheduling.apply(Map.of(queue.id(), false));
        };
        scheduler.pump();

        assertThat(queue.stats().suspended()).as("the newer decision stands").isFalse();
        assertThat(queue.stats().suspensions()).as("the stale round suspended nothing, not even briefly")
                .isEqualTo(suspensions);
        scheduler.close();
    }
}
