package dev.xsched.micrometer;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.PassThroughPolicy;
import dev.xsched.hip.Device;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.hip.sim.VirtualClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The meters against the scheduler's own counters, on the simulated GPU in virtual time (manual scheduler: no threads). */
class XSchedulerMetricsTest {
    private static final String SOURCE = "extern \"C\" __global__ void work() { }";

    private final SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(1)
            .defaultBlockDuration(Duration.ofMillis(1)).build();
    private final VirtualClock clock = sim.virtualClock();
    private final Device gpu = sim.device(0);
    private final HipModule module = gpu.loadModule(gpu.compiler().compile("work.hip", SOURCE));
    private final Kernel work = module.function("work");
    private final HoldBatch policy = new HoldBatch();
    private final XScheduler scheduler = XScheduler.builder().name("metrics-test").jmx(false).clock(clock::nanoTime)
            .policy(policy).manual(() -> clock.advanceBy(100_000)).build();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        scheduler.close();
        module.close();
        sim.close();
    }

    private double gauge(String name, XQueue queue) {
        return registry.get(name).tags("queue", queue.name(), "queue.id", Long.toString(queue.id())).gauge().value();
    }

    private double counter(String name, XQueue queue) {
        return registry.get(name).tags("queue", queue.name(), "queue.id", Long.toString(queue.id())).functionCounter().count();
    }

    private void launch(XQueue queue, int times) {
        for (int i = 0; i < times; i++) {
            queue.launch(work, LaunchConfig.of(1, 1), KernelArgs.builder().build());
        }
    }

    /** Sets the policy's hold and makes the scheduler decide (a hint is an event). */
    private void hold(XQueue queue, boolean hold) {
        policy.hold = hold;
        queue.hint(new Hint.Priority(0));
        scheduler.pump();
    }

    @Test
    void queueMetersFollowBufferingReleaseSuspensionAndCompletion() {
        XQueue batch = scheduler.createQueue(gpu, new XQueueConfig("batch", 2, 1));
        new XSchedulerMetrics(scheduler, Tags.of("service", "test")).bindTo(registry);
        scheduler.pump();

        launch(batch, 5);
        scheduler.pump();
        assertThat(gauge("xsched.queue.buffered", batch)).isEqualTo(3);
        assertThat(gauge("xsched.queue.in.flight", batch)).isEqualTo(2);
        assertThat(counter("xsched.queue.submitted", batch)).isEqualTo(5);
        assertThat(counter("xsched.queue.launched", batch)).isEqualTo(2);
        assertThat(counter("xsched.queue.completed", batch)).isZero();
        assertThat(gauge("xsched.queue.suspended", batch)).isZero();
        assertThat(counter("xsched.queue.suspensions", batch)).as("created held until the first decision").isEqualTo(1);

        hold(batch, true);
        clock.advanceBy(5_000_000);
        scheduler.pump();
        assertThat(gauge("xsched.queue.suspended", batch)).isEqualTo(1);
        assertThat(counter("xsched.queue.suspensions", batch)).isEqualTo(2);
        assertThat(counter("xsched.queue.suspended.time", batch)).as("seconds held, on the scheduler's clock").isEqualTo(0.005);
        assertThat(counter("xsched.queue.completed", batch)).as("what was in flight still finishes").isEqualTo(2);
        assertThat(gauge("xsched.queue.buffered", batch)).as("nothing more released while held").isEqualTo(3);

        hold(batch, false);
        batch.synchronize();
        assertThat(counter("xsched.queue.completed", batch)).isEqualTo(5);
        assertThat(gauge("xsched.queue.buffered", batch) + gauge("xsched.queue.in.flight", batch)).isZero();
        assertThat(counter("xsched.queue.suspended.time", batch)).isEqualTo(0.005);

        Meter.Id decisions = registry.get("xsched.scheduler.decisions").functionCounter().getId();
        assertThat(decisions.getTag("scheduler")).isEqualTo("metrics-test");
        assertThat(decisions.getTag("service")).isEqualTo("test");
        assertThat(registry.get("xsched.scheduler.decisions").functionCounter().count())
                .isEqualTo(scheduler.decisionCount()).isPositive();
        assertThat(registry.get("xsched.scheduler.policy.failures").functionCounter().count()).isZero();
        assertThat(registry.get("xsched.scheduler.queues").gauge().value()).isEqualTo(1);
    }

    @Test
    void refreshAddsQueuesCreatedSinceRemovesClosedOnesAndFollowsPolicySwitches() {
        XQueue first = scheduler.createQueue(gpu, XQueueConfig.defaults("online"));
        XSchedulerMetrics metrics = new XSchedulerMetrics(scheduler);
        metrics.bindTo(registry);
        XQueue second = scheduler.createQueue(gpu, XQueueConfig.defaults("batch"));
        assertThat(registry.find("xsched.queue.submitted").tag("queue", "batch").functionCounter()).isNull();

        metrics.refresh();
        assertThat(registry.find("xsched.queue.submitted").tag("queue", "batch").functionCounter()).isNotNull();
        assertThat(registry.find("xsched.queue.submitted").functionCounters()).hasSize(2);

        first.close();
        metrics.refresh();
        assertThat(registry.find("xsched.queue.submitted").tag("queue", "online").functionCounter()).isNull();
        assertThat(registry.getMeters()).noneMatch(m -> "online".equals(m.getId().getTag("queue")));
        assertThat(registry.find("xsched.queue.submitted").tag("queue.id", Long.toString(second.id())).functionCounter())
                .isNotNull();

        assertThat(registry.get("xsched.scheduler.policy").tag("policy", "hold-batch").gauge().value()).isEqualTo(1);
        scheduler.setPolicy(new PassThroughPolicy());
        scheduler.pump();
        metrics.refresh();
        assertThat(registry.find("xsched.scheduler.policy").gauges()).singleElement()
                .satisfies(g -> assertThat(g.getId().getTag("policy")).isEqualTo("pass-through"));
    }

    @Test
    void oneBinderServesSeveralRegistriesAndBindingTwiceAddsNothing() {
        scheduler.createQueue(gpu, XQueueConfig.defaults("online"));
        XSchedulerMetrics metrics = new XSchedulerMetrics(scheduler);
        MeterRegistry other = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        int meters = registry.getMeters().size();
        metrics.bindTo(registry);
        metrics.bindTo(other);
        assertThat(registry.getMeters()).hasSize(meters);
        assertThat(other.getMeters()).hasSize(meters);

        scheduler.createQueue(gpu, XQueueConfig.defaults("batch"));
        metrics.refresh();
        assertThat(other.find("xsched.queue.buffered").tag("queue", "batch").gauge()).isNotNull();
        assertThat(registry.find("xsched.queue.buffered").tag("queue", "batch").gauge()).isNotNull();
    }

    /**
     * A scheduler made again under the same name, with queue ids from 1 again, must report its own
     * figures: the closed one's meters, left registered, held the same ids and kept answering.
     */
    @Test
    void closeRemovesEveryMeterSoThatASchedulerOfTheSameNameReportsItsOwnFigures() {
        MeterRegistry other = new SimpleMeterRegistry();
        XQueue online = scheduler.createQueue(gpu, XQueueConfig.defaults("online"));
        launch(online, 3);
        XSchedulerMetrics metrics = new XSchedulerMetrics(scheduler);
        metrics.bindTo(registry);
        metrics.bindTo(other);
        assertThat(counter("xsched.queue.submitted", online)).isEqualTo(3);

        metrics.close();
        metrics.close(); // idempotent
        assertThat(registry.getMeters()).as("every meter removed").isEmpty();
        assertThat(other.getMeters()).isEmpty();
        metrics.refresh(); // nothing to refresh any more
        assertThat(registry.getMeters()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> metrics.bindTo(registry))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");

        try (XScheduler again = XScheduler.builder().name("metrics-test").jmx(false).clock(clock::nanoTime)
                .policy(new PassThroughPolicy()).manual(() -> clock.advanceBy(100_000)).build();
             XSchedulerMetrics next = new XSchedulerMetrics(again)) {
            XQueue fresh = again.createQueue(gpu, XQueueConfig.defaults("online"));
            assertThat(fresh.id()).as("the same meter id as the closed one's queue").isEqualTo(online.id());
            next.bindTo(registry);
            assertThat(counter("xsched.queue.submitted", fresh)).as("the new queue's figure, not the old one's").isZero();
        }
    }

    private XScheduler schedulerNamed(String name) {
        return XScheduler.builder().name(name).jmx(false).clock(clock::nanoTime)
                .policy(new PassThroughPolicy()).manual(() -> clock.advanceBy(100_000)).build();
    }

    /**
     * Two live schedulers of one name make the same meter ids, and Micrometer hands the second
     * binder the first one's meters: it would show the first scheduler's figures, and closing
     * either would remove the other's meters. The second binding is refused instead.
     */
    @Test
    void aSecondLiveSchedulerOfTheSameNameIsRefusedAndLeavesTheFirstOnesMetersAlone() {
        XQueue online = scheduler.createQueue(gpu, XQueueConfig.defaults("online"));
        launch(online, 3);
        XSchedulerMetrics first = new XSchedulerMetrics(scheduler);
        first.bindTo(registry);
        List<Meter> firstMeters = registry.getMeters();

        try (XScheduler twin = schedulerNamed("metrics-test");
             XScheduler other = schedulerNamed("metrics-test-2")) {
            XQueue twinQueue = twin.createQueue(gpu, XQueueConfig.defaults("online"));
            assertThat(twinQueue.id()).as("the same meter ids as the first scheduler's queue").isEqualTo(online.id());
            XSchedulerMetrics second = new XSchedulerMetrics(twin);
            assertThatThrownBy(() -> second.bindTo(registry)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("metrics-test").hasMessageContaining("distinct names");
            second.close();
            assertThat(registry.getMeters()).as("the first binder's meters, neither shared nor removed")
                    .containsExactlyInAnyOrderElementsOf(firstMeters);
            assertThat(counter("xsched.queue.submitted", online)).isEqualTo(3);

            // A distinct name, as the message suggests, binds.
            other.createQueue(gpu, XQueueConfig.defaults("online"));
            try (XSchedulerMetrics third = new XSchedulerMetrics(other)) {
                third.bindTo(registry);
                assertThat(registry.get("xsched.queue.submitted").tags("scheduler", "metrics-test-2", "queue", "online")
                        .functionCounter().count()).isZero();
            }
        }
    }

    /** Throws for the meters named {@link #refused} while {@link #refusing} is set: a registry refusing a meter. */
    private static final class RefusingFilter implements MeterFilter {
        volatile boolean refusing = true;
        final String refused;

        RefusingFilter(String refused) {
            this.refused = refused;
        }

        @Override
        public Meter.Id map(Meter.Id id) {
            if (refusing && id.getName().equals(refused)) {
                throw new IllegalArgumentException("refused: " + id); // as Prometheus does for another tag set
            }
            return id;
        }
    }

    @Test
    void aMeterTheRegistryRefusesAtBindingLeavesNoMeterBehindAndBindingAgainWorks() {
        scheduler.createQueue(gpu, XQueueConfig.defaults("online"));
        MeterRegistry reference = new SimpleMeterRegistry();
        new XSchedulerMetrics(scheduler).bindTo(reference);
        XSchedulerMetrics metrics = new XSchedulerMetrics(scheduler);

        // Refused after the scheduler's first meters, then (second round) after queue meters.
        for (String refused : List.of("xsched.scheduler.policy.failures", "xsched.queue.dropped")) {
            MeterRegistry refusing = new SimpleMeterRegistry();
            RefusingFilter filter = new RefusingFilter(refused);
            refusing.config().meterFilter(filter);
            assertThatThrownBy(() -> metrics.bindTo(refusing)).hasMessageContaining("refused");
            assertThat(refusing.getMeters()).as("nothing left registered, untracked, holding the scheduler").isEmpty();

            filter.refusing = false;
            metrics.bindTo(refusing);
            assertThat(refusing.getMeters()).as("a retry binds, as on a fresh registry").hasSameSizeAs(reference.getMeters());
        }
    }

    @Test
    void aQueueMeterTheRegistryRefusesAtRefreshLeavesNoneOfTheQueuesMetersAndTheNextRefreshBindsThem() {
        RefusingFilter filter = new RefusingFilter("xsched.queue.dropped");
        filter.refusing = false;
        registry.config().meterFilter(filter);
        XSchedulerMetrics metrics = new XSchedulerMetrics(scheduler);
        metrics.bindTo(registry);
        int schedulerOnly = registry.getMeters().size();

        filter.refusing = true;
        XQueue batch = scheduler.createQueue(gpu, XQueueConfig.defaults("batch"));
        assertThatThrownBy(metrics::refresh).hasMessageContaining("refused");
        assertThat(registry.getMeters()).as("none of the queue's meters left registered").hasSize(schedulerOnly);

        filter.refusing = false;
        metrics.refresh();
        assertThat(registry.getMeters()).filteredOn(m -> "batch".equals(m.getId().getTag("queue"))).hasSize(10);
        assertThat(counter("xsched.queue.dropped", batch)).isZero();
        metrics.close();
        assertThat(registry.getMeters()).isEmpty();
    }

    /**
     * Code that uses automatic queues cannot know when they close, so cannot call refresh then: the
     * meters of a closed queue must not keep it (and what it holds) alive meanwhile.
     */
    @Test
    void aClosedQueueIsCollectableWhileItsMetersAreRegisteredAndTheNextBindingRemovesThem() throws InterruptedException {
        XSchedulerMetrics metrics = new XSchedulerMetrics(scheduler);
        metrics.bindTo(registry);
        WeakReference<XQueue> closedQueue = createBindAndClose(metrics, "batch");
        assertThat(registry.find("xsched.queue.buffered").tag("queue", "batch").gauge())
                .as("still registered: nothing has refreshed since").isNotNull();

        for (int i = 0; i < 100 && closedQueue.get() != null; i++) { // a bound, far above what a collection needs
            System.gc();
            Thread.sleep(10);
        }
        assertThat(closedQueue.get()).as("collected although its meters are registered").isNull();
        assertThat(registry.get("xsched.queue.buffered").tag("queue", "batch").gauge().value()).isNaN();

        MeterRegistry other = new SimpleMeterRegistry();
        metrics.bindTo(other);
        assertThat(registry.getMeters()).as("binding another registry removed the closed queue's meters")
                .noneMatch(m -> "batch".equals(m.getId().getTag("queue")));
        assertThat(other.getMeters()).noneMatch(m -> "batch".equals(m.getId().getTag("queue")));
    }

    /** In a method of its own, so that no local of the test's frame still refers to the queue. */
    private WeakReference<XQueue> createBindAndClose(XSchedulerMetrics metrics, String name) {
        XQueue queue = scheduler.createQueue(gpu, XQueueConfig.defaults(name));
        metrics.refresh();
        assertThat(gauge("xsched.queue.buffered", queue)).isZero();
        queue.close();
        return new WeakReference<>(queue);
    }
}
