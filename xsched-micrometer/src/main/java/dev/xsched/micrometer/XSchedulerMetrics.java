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
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
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
 * gauge after a switch); {@link #bindTo} refreshes too, and removes the meters of closed queues
 * from every registry. Call it after creating or closing queues, or from a periodic task (the
 * scheduler tells no one when a queue closes). Until then a closed queue's meters stay registered
 * but do not hold it: they refer to it weakly, so it can be collected, after which its gauges
 * read NaN and its counters their last value. Every method may be called from any thread.
 *
 * <p>Meter ids are made of the scheduler's name, the queue's name and id, and the tags given, so
 * two binders of live schedulers with the same name (or one scheduler bound twice) would share
 * meters in a registry: Micrometer returns the existing meter for an equal id. {@link #bindTo}
 * and {@link #refresh()} refuse that with an {@link IllegalArgumentException}: give the schedulers
 * distinct names or the binders a distinguishing tag. A registration that fails (that, or a
 * registry refusing a meter) removes the meters it had registered before it throws, so the
 * binder is as before the call and may be bound again.
 *
 * <p>{@link #close()} removes every meter it registered from every registry: call it when the
 * scheduler closes. Otherwise the meters stay registered for the registry's life, holding the
 * closed scheduler, and a scheduler made later under the same name could not bind its meters to
 * that registry (their ids are taken).
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
    /**
     * Held by every binder (of any scheduler) from the moment it looks at a registry's meters
     * until it has registered its own, so that two binders of schedulers with the same name
     * cannot both find an id free and then share the meter. Taken after a binder's own monitor,
     * never before it; private, so no caller can take it in the other order.
     */
    private static final Object REGISTERING = new Object();

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
     * Registers the scheduler's meters and those of its current queues in {@code registry}, and
     * removes the meters of queues closed since from every registry bound before. A binder may be
     * bound to several registries; binding it twice to one registry changes nothing. Should a
     * meter fail to register, those registered by this call are removed before it throws.
     *
     * @param registry where the meters go
     * @throws IllegalStateException    after {@link #close()}
     * @throws IllegalArgumentException if {@code registry} holds already a meter with the id of one
     *                                  of this binder's (typically another live scheduler's of the
     *                                  same name, or this scheduler's through another binder)
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
        // Bookkeeping first, so that unbind finds whatever a failure part-way left registered.
        registries.add(registry);
        queueMeters.put(registry, new LinkedHashMap<>());
        List<Meter> own = new ArrayList<>();
        schedulerMeters.put(registry, own);
        try {
            synchronized (REGISTERING) {
                Registrar registrar = new Registrar(registry);
                registrar.register(r -> Gauge.builder("xsched.scheduler.queues", scheduler, s -> s.queues().size())
                        .tags(tags).description("queues open now").baseUnit("queues").strongReference(true).register(r), own);
                registrar.register(r -> FunctionCounter.builder("xsched.scheduler.decisions", scheduler, XScheduler::decisionCount)
                        .tags(tags).description("rounds in which the policy decided").baseUnit("decisions").register(r), own);
                registrar.register(r -> FunctionCounter.builder("xsched.scheduler.policy.failures", scheduler,
                                XScheduler::policyFailureCount)
                        .tags(tags).description("times the policy threw; the scheduler then failed open").baseUnit("failures")
                        .register(r), own);
                refresh(registrar);
            }
        } catch (RuntimeException | Error e) {
            unbind(registry);
            throw e;
        }
        // A new registry is activity enough to drop what closed queues left in the others.
        registries.forEach(this::removeClosedQueues);
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
        List.copyOf(registries).forEach(this::unbind);
    }

    /** Removes every meter of this binder from {@code registry} and forgets the registry. */
    private void unbind(MeterRegistry registry) {
        registries.remove(registry);
        List<Meter> own = schedulerMeters.remove(registry);
        if (own != null) {
            own.forEach(registry::remove);
        }
        Meter policy = policyGauges.remove(registry);
        if (policy != null) {
            registry.remove(policy);
        }
        Map<Long, List<Meter>> queues = queueMeters.remove(registry);
        if (queues != null) {
            queues.values().forEach(meters -> meters.forEach(registry::remove));
        }
    }

    /**
     * Brings every bound registry up to date with the scheduler: meters for queues created since
     * the last refresh, none for queues closed since, and the policy gauge tagged with the active
     * policy. A queue whose meters fail to register gets none (those registered are removed) and
     * the failure is thrown; the next refresh tries again.
     *
     * @throws IllegalArgumentException if a registry holds already a meter with the id of one of
     *                                  a new queue's meters or of the policy gauge
     */
    public synchronized void refresh() {
        for (MeterRegistry registry : registries) { // none after close()
            synchronized (REGISTERING) {
                refresh(new Registrar(registry));
            }
        }
    }

    private void refresh(Registrar registrar) {
        MeterRegistry registry = registrar.registry;
        Map<Long, List<Meter>> bound = queueMeters.get(registry);
        Map<Long, XQueue> open = removeClosedQueues(registry);
        for (XQueue queue : open.values()) {
            if (!bound.containsKey(queue.id())) {
                // Recorded only once every meter of the queue is registered: bindQueue removes
                // its own on a failure, so no meter is left registered and untracked.
                bound.put(queue.id(), bindQueue(registrar, queue));
            }
        }
        refreshPolicyGauge(registrar);
    }

    /**
     * Removes from {@code registry} the meters of the queues closed since they were bound.
     *
     * @return the queues open now, by id
     */
    private Map<Long, XQueue> removeClosedQueues(MeterRegistry registry) {
        Map<Long, List<Meter>> bound = queueMeters.get(registry);
        Map<Long, XQueue> open = scheduler.queues().stream()
                .collect(Collectors.toMap(XQueue::id, q -> q, (a, b) -> a, LinkedHashMap::new));
        Set<Long> closed = bound.keySet().stream().filter(id -> !open.containsKey(id)).collect(Collectors.toSet());
        for (Long id : closed) {
            bound.remove(id).forEach(registry::remove);
        }
        return open;
    }

    private void refreshPolicyGauge(Registrar registrar) {
        MeterRegistry registry = registrar.registry;
        String policy = scheduler.policyName();
        Meter current = policyGauges.get(registry);
        if (current != null && policy.equals(current.getId().getTag("policy"))) {
            return;
        }
        if (current != null) {
            registry.remove(current);
            policyGauges.remove(registry); // so that a failure below leaves none recorded
        }
        policyGauges.put(registry, registrar.register(r -> Gauge.builder("xsched.scheduler.policy", () -> 1)
                .tags(tags).tag("policy", policy).description("the active policy (in the tag policy)").register(r),
                new ArrayList<>()));
    }

    /** Registers {@code queue}'s meters, or none: on a failure those registered are removed. */
    private List<Meter> bindQueue(Registrar registrar, XQueue queue) {
        Tags queueTags = tags.and("queue", queue.name()).and("queue.id", Long.toString(queue.id()));
        QueueMeters meters = new QueueMeters(registrar, queue, queueTags);
        try {
            meters.gauge("xsched.queue.buffered", "commands held host-side, not yet released", "commands", XQueueStats::buffered);
            meters.gauge("xsched.queue.in.flight", "commands released and not yet known complete", "commands",
                    XQueueStats::inFlight);
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
        } catch (RuntimeException | Error e) {
            meters.registered.forEach(registrar.registry::remove);
            throw e;
        }
        return meters.registered;
    }

    /**
     * Registers meters in one registry, refusing a meter whose id the registry held already before
     * this operation: Micrometer would return the existing meter, whose figures are another
     * binder's (another live scheduler of the same name, or this scheduler through another binder),
     * and removing it later would take it from its owner. Used under {@link #REGISTERING}.
     */
    private final class Registrar {
        final MeterRegistry registry;
        /** The registry's meters before this operation, by identity (a meter equals any of its id). */
        private Set<Meter> before;

        Registrar(MeterRegistry registry) {
            this.registry = registry;
        }

        /** Registers a meter and adds it to {@code registered}, or throws having registered nothing new. */
        <M extends Meter> M register(Function<MeterRegistry, M> builder, List<Meter> registered) {
            if (before == null) { // copied only by an operation that registers something
                before = Collections.newSetFromMap(new IdentityHashMap<>());
                before.addAll(registry.getMeters());
            }
            M meter = builder.apply(registry);
            if (before.contains(meter)) {
                throw new IllegalArgumentException("the meter " + meter.getId() + " of scheduler " + scheduler.name()
                        + " is registered already, by another binder: two live schedulers named \"" + scheduler.name()
                        + "\" (or two binders of one scheduler) would share their meters in this registry; give the"
                        + " schedulers distinct names (XScheduler.builder().name) or the binders a distinguishing tag"
                        + " (new XSchedulerMetrics(scheduler, Tags.of(...))), and close the metrics of a closed scheduler");
            }
            registered.add(meter);
            return meter;
        }
    }

    /** Registers one queue's meters, each reading a figure of {@link XQueue#stats()}. */
    private record QueueMeters(Registrar registrar, XQueue queue, Tags tags, List<Meter> registered) {
        QueueMeters(Registrar registrar, XQueue queue, Tags tags) {
            this(registrar, queue, tags, new ArrayList<>());
        }

        // Gauges and counters both hold the queue weakly (Micrometer's default): a queue closed
        // and dropped by its user is collectable although its meters stay registered until the
        // next refresh; a gauge then reads NaN, a counter its last value.
        void gauge(String name, String description, String unit, ToDoubleFunction<XQueueStats> figure) {
            registrar.register(r -> Gauge.builder(name, queue, q -> figure.applyAsDouble(q.stats()))
                    .tags(tags).description(description).baseUnit(unit).register(r), registered);
        }

        void counter(String name, String description, String unit, ToDoubleFunction<XQueueStats> figure) {
            registrar.register(r -> FunctionCounter.builder(name, queue, q -> figure.applyAsDouble(q.stats()))
                    .tags(tags).description(description).baseUnit(unit).register(r), registered);
        }
    }
}
