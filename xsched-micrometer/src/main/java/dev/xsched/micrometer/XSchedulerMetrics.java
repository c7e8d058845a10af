package dev.xsched.micrometer;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueStats;
import dev.xsched.core.XScheduler;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Binds the figures of one {@link XScheduler} to Micrometer.
 *
 * <p>Every meter carries the tag {@code scheduler} (the scheduler's name) and the tags given to
 * the constructor. The scheduler's meters:
 * <ul>
 *   <li>{@code xsched.scheduler.queues} (gauge): queues open now;</li>
 *   <li>{@code xsched.scheduler.decisions} (counter): rounds in which the policy decided;</li>
 *   <li>{@code xsched.scheduler.policy.failures} (counter): times the policy threw (the scheduler
 *       then fails open: every queue runs);</li>
 *   <li>{@code xsched.scheduler.policy} (gauge, always 1): the active policy, in the tag
 *       {@code policy}.</li>
 * </ul>
 * Each queue's meters carry the tags {@code queue} (its name) and {@code queue.id}:
 * <ul>
 *   <li>{@code xsched.queue.buffered} (gauge): commands held host-side, not yet released;</li>
 *   <li>{@code xsched.queue.in.flight} (gauge): commands released and not yet known complete;</li>
 *   <li>{@code xsched.queue.suspended} (gauge): 1 while the policy holds the queue, else 0;</li>
 *   <li>{@code xsched.queue.suspensions} (counter): times the queue was suspended;</li>
 *   <li>{@code xsched.queue.suspended.time} (counter, seconds): time spent suspended, on the
 *       scheduler's clock;</li>
 *   <li>{@code xsched.queue.submitted}, {@code xsched.queue.launched},
 *       {@code xsched.queue.completed}, {@code xsched.queue.dropped},
 *       {@code xsched.queue.yielded} (counters): commands accepted, released to the hardware,
 *       known complete, discarded, and yieldable launches that stopped early.</li>
 * </ul>
 *
 * <p>Values are read from {@link XQueue#stats()} and the scheduler when the registry asks for
 * them. Queues come and go while meters are registered once, so {@link #refresh()} adds the
 * meters of queues created since and removes those of queues closed since (and re-tags the policy
 * gauge after a switch); {@link #bindTo} refreshes too. Call it after creating or closing queues,
 * or from a periodic task. Every method may be called from any thread.
 *
 * <p>{@link #close()} removes every meter it registered from every registry: call it when the
 * scheduler closes. Otherwise the meters stay registered for the registry's life, holding the
 * closed scheduler and its queues, and a scheduler made later under the same name (whose queue ids
 * start again at 1) would find its meter ids taken by the closed one's, reading its figures.
 *
 * <pre>{@code
 * try (XSchedulerMetrics metrics = new XSchedulerMetrics(scheduler, Tags.of("service", "inference"))) {
 *     metrics.bindTo(registry);
 *     XQueue online = scheduler.createQueue(gpu, XQueueConfig.defaults("online"));
 *     metrics.refresh();
 *     ...
 * }
 * }</pre>
 */
public final class XSchedulerMetrics implements MeterBinder, AutoCloseable {
    private final XScheduler scheduler;
    private final Tags tags;
    private final List<MeterRegistry> registries = new ArrayList<>();
    /** The meters of each bound queue, by queue id, per registry. */
    private final Map<MeterRegistry, Map<Long, List<Meter>>> queueMeters = new HashMap<>();
    private final Map<MeterRegistry, Meter> policyGauges = new HashMap<>();
    /** The scheduler's own meters (queues, decisions, policy failures), per registry. */
    private final Map<MeterRegistry, List<Meter>> schedulerMeters = new HashMap<>();
    private boolean closed;

    /**
     * Metrics of {@code scheduler}, tagged with its name.
     *
     * @param scheduler the scheduler to observe
     */
    public XSchedulerMetrics(XScheduler scheduler) {
        this(scheduler, Tags.empty());
    }

    /**
     * Metrics of {@code scheduler}, tagged with its name and {@code tags}.
     *
     * @param scheduler the scheduler to observe
     * @param tags      tags added to every meter (for example the service's name)
     */
    public XSchedulerMetrics(XScheduler scheduler, Iterable<Tag> tags) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags")).and("scheduler", scheduler.name());
    }

    /**
     * Registers the scheduler's meters and those of its current queues in {@code registry}. A
     * binder may be bound to several registries; binding it twice to one registry changes nothing.
     *
     * @param registry where the meters go
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed) {
            throw new IllegalStateException("the metrics of scheduler " + scheduler.name() + " are closed");
        }
        if (registries.contains(registry)) {
            return;
        }
        registries.add(registry);
        queueMeters.put(registry, new LinkedHashMap<>());
        schedulerMeters.put(registry, List.of(
                Gauge.builder("xsched.scheduler.queues", scheduler, s -> s.queues().size())
                        .tags(tags).description("queues open now").baseUnit("queues").strongReference(true).register(registry),
                FunctionCounter.builder("xsched.scheduler.decisions", scheduler, XScheduler::decisionCount)
                        .tags(tags).description("rounds in which the policy decided").baseUnit("decisions").register(registry),
                FunctionCounter.builder("xsched.scheduler.policy.failures", scheduler, XScheduler::policyFailureCount)
                        .tags(tags).description("times the policy threw; the scheduler then failed open").baseUnit("failures")
                        .register(registry)));
        refresh(registry);
    }

    /**
     * Removes every meter this binder registered from every registry it was bound to, and lets go
     * of them; idempotent. Later {@link #refresh()} calls do nothing, and {@link #bindTo} throws.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (MeterRegistry registry : registries) {
            schedulerMeters.getOrDefault(registry, List.of()).forEach(registry::remove);
            Meter policy = policyGauges.get(registry);
            if (policy != null) {
                registry.remove(policy);
            }
            queueMeters.getOrDefault(registry, Map.of()).values().forEach(meters -> meters.forEach(registry::remove));
        }
        registries.clear();
        schedulerMeters.clear();
        policyGauges.clear();
        queueMeters.clear();
    }

    /**
     * Brings every bound registry up to date with the scheduler: meters for queues created since
     * the last refresh, none for queues closed since, and the policy gauge tagged with the active
     * policy.
     */
    public synchronized void refresh() {
        registries.forEach(this::refresh); // none after close()
    }

    private void refresh(MeterRegistry registry) {
        Map<Long, List<Meter>> bound = queueMeters.get(registry);
        Map<Long, XQueue> open = scheduler.queues().stream()
                .collect(Collectors.toMap(XQueue::id, q -> q, (a, b) -> a, LinkedHashMap::new));
        Set<Long> closed = bound.keySet().stream().filter(id -> !open.containsKey(id)).collect(Collectors.toSet());
        for (Long id : closed) {
            bound.remove(id).forEach(registry::remove);
        }
        open.forEach((id, queue) -> bound.computeIfAbsent(id, i -> bindQueue(registry, queue)));
        refreshPolicyGauge(registry);
    }

    private void refreshPolicyGauge(MeterRegistry registry) {
        String policy = scheduler.policyName();
        Meter current = policyGauges.get(registry);
        if (current != null && policy.equals(current.getId().getTag("policy"))) {
            return;
        }
        if (current != null) {
            registry.remove(current);
        }
        policyGauges.put(registry, Gauge.builder("xsched.scheduler.policy", () -> 1)
                .tags(tags).tag("policy", policy).description("the active policy (in the tag policy)").register(registry));
    }

    private List<Meter> bindQueue(MeterRegistry registry, XQueue queue) {
        Tags queueTags = tags.and("queue", queue.name()).and("queue.id", Long.toString(queue.id()));
        QueueMeters meters = new QueueMeters(registry, queue, queueTags);
        meters.gauge("xsched.queue.buffered", "commands held host-side, not yet released", "commands", XQueueStats::buffered);
        meters.gauge("xsched.queue.in.flight", "commands released and not yet known complete", "commands", XQueueStats::inFlight);
        meters.gauge("xsched.queue.suspended", "1 while the policy holds the queue", null, s -> s.suspended() ? 1 : 0);
        meters.counter("xsched.queue.suspensions", "times the queue was suspended", "suspensions", XQueueStats::suspensions);
        meters.counter("xsched.queue.suspended.time", "time spent suspended, on the scheduler's clock", "seconds",
                s -> s.suspendedNanos() / 1e9);
        meters.counter("xsched.queue.submitted", "commands accepted", "commands", XQueueStats::submitted);
        meters.counter("xsched.queue.launched", "commands released to the hardware", "commands", XQueueStats::launched);
        meters.counter("xsched.queue.completed", "commands known complete", "commands", XQueueStats::completed);
        meters.counter("xsched.queue.dropped", "commands discarded (close with DROP, or after a failure)", "commands",
                XQueueStats::dropped);
        meters.counter("xsched.queue.yielded", "yieldable launches that stopped early and were put back", "launches",
                XQueueStats::yielded);
        return meters.registered;
    }

    /** Registers one queue's meters, each reading a figure of {@link XQueue#stats()}. */
    private record QueueMeters(MeterRegistry registry, XQueue queue, Tags tags, List<Meter> registered) {
        QueueMeters(MeterRegistry registry, XQueue queue, Tags tags) {
            this(registry, queue, tags, new ArrayList<>());
        }

        void gauge(String name, String description, String unit, ToDoubleFunction<XQueueStats> figure) {
            registered.add(Gauge.builder(name, queue, q -> figure.applyAsDouble(q.stats()))
                    .tags(tags).description(description).baseUnit(unit).strongReference(true).register(registry));
        }

        void counter(String name, String description, String unit, ToDoubleFunction<XQueueStats> figure) {
            registered.add(FunctionCounter.builder(name, queue, q -> figure.applyAsDouble(q.stats()))
                    .tags(tags).description(description).baseUnit(unit).register(registry));
        }
    }
}
