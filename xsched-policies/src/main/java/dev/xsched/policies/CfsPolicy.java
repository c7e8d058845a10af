package dev.xsched.policies;

import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.PolicyInfo;
import dev.xsched.core.policy.PolicyParameters;
import dev.xsched.core.policy.PolicyProvider;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted fair sharing by virtual runtime (a completely fair scheduler, as in XSched's CFS). The
 * ready queue with the smallest virtual runtime runs, alone, for a slice; while it runs its
 * virtual runtime grows by {@code elapsed * 1024 / weight}, so over time each ready queue gets
 * device time in proportion to its weight.
 *
 * <p>Weight: {@link Hint.Weight} when given, else {@code 1024 * 1.2^priority} from
 * {@link Hint.Priority} (XSched's mapping; priority 0, the default, is weight 1024), kept within
 * {@code Hint.Weight}'s range [1, 10000]: priorities from 13 up all weigh 10000, from -39 down
 * all weigh 1. Unbounded, priority 255 weighed 1.6e23, and its virtual runtime grew by less than
 * a double can add to a few milliseconds, so it never moved and starved every other queue.
 *
 * <p>A queue that becomes ready starts at {@code max(its virtual runtime, the minimum virtual
 * runtime)}, where the minimum is that of the ready queues and never decreases: time spent idle
 * is not banked, so a queue that slept cannot monopolise the device when it wakes, nor is it
 * punished for sleeping. Ties go round-robin in queue order after the last runner.
 *
 * <p>Running time is measured on the scheduler's clock, from decision to decision. A queue that
 * loses the device keeps running what it has in flight (Level-1 preemption); that tail is charged
 * to it, not to the next runner, whose slice starts when the tail has ended (the policy looks
 * every {@code slice / 50}); a tail ends at once when its own queue wins the device back.
 * With no queue ready, every queue is resumed; otherwise only the runner is. Each device has its
 * own runner and minimum virtual runtime.
 *
 * <p><b>Starvation:</b> none; a waiting queue's virtual runtime stays put while the runner's grows.
 */
public final class CfsPolicy implements Policy {
    /** The name it is selected by. */
    public static final String NAME = "cfs";
    /** The default slice: 5 ms. */
    public static final long DEFAULT_SLICE_NANOS = 5_000_000L;
    static final double NICE_0_WEIGHT = 1024;
    /** The least weight, {@link Hint.Weight}'s lower bound. */
    static final double MIN_WEIGHT = 1;
    /** The greatest weight, {@link Hint.Weight}'s upper bound. */
    static final double MAX_WEIGHT = 10_000;

    private final long slice;
    private final PolicySupport.Timers timers = new PolicySupport.Timers();
    private final Map<Long, Entity> entities = new HashMap<>();
    /** The runner of each device. */
    private final Map<Integer, Runner> runners = new HashMap<>();

    private final class Runner {
        final PolicySupport.Tail tail = new PolicySupport.Tail(slice / 50);
        double minVruntime;
        long current = -1;
        long lastAccounted;
        long sliceEnd;
    }

    private static final class Entity {
        double vruntime;
        long seenReadySince = -1;
        boolean ready;
    }

    /**
     * A CFS policy.
     *
     * @param sliceNanos how long the chosen queue runs before the least virtual runtime is looked
     *                   for again, in nanoseconds of the scheduler clock; shorter slices share more
     *                   finely but switch (and pay a Level-1 tail) more often
     * @throws IllegalArgumentException if {@code sliceNanos <= 0}
     */
    public CfsPolicy(long sliceNanos) {
        if (sliceNanos <= 0) {
            throw new IllegalArgumentException("slice must be > 0 ns, got " + sliceNanos);
        }
        this.slice = sliceNanos;
    }

    /** A CFS policy with the {@linkplain #DEFAULT_SLICE_NANOS default slice}. */
    public CfsPolicy() {
        this(DEFAULT_SLICE_NANOS);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onQueueRemoved(long queueId) {
        entities.remove(queueId);
        for (Runner runner : runners.values()) {
            // A tail of the closed queue stays open until the next decision, which sees the queue
            // gone, ends the tail and starts the runner's slice (forgetting it here left the
            // runner's slice waiting for a tail that no decision would end).
            if (queueId == runner.current) {
                runner.current = -1;
            }
        }
    }

    @Override
    public void schedule(SchedulingContext context) {
        PolicySupport.byDevice(context.queues()).forEach((device, queues) ->
                schedule(context, queues, runners.computeIfAbsent(device, k -> new Runner())));
    }

    private void schedule(SchedulingContext context, List<QueueStatus> queues, Runner runner) {
        long now = context.now();
        // Charge the time since the last decision: to the queue whose tail ran, else to the runner.
        long charged = runner.tail.isOpen() ? runner.tail.queue() : runner.current;
        QueueStatus chargedStatus = null;
        QueueStatus previous = null;
        for (QueueStatus queue : queues) {
            if (queue.id() == charged) {
                chargedStatus = queue;
            }
            if (queue.id() == runner.current) {
                previous = queue;
            }
        }
        if (chargedStatus != null && now > runner.lastAccounted) {
            entity(chargedStatus.id()).vruntime += (now - runner.lastAccounted) * NICE_0_WEIGHT / weight(chargedStatus);
        }
        runner.lastAccounted = now;
        if (runner.tail.closeIfDrained(queues, now) >= 0) {
            runner.sliceEnd = PolicySupport.saturatedAdd(now, slice); // the runner's slice starts now
        }
        // The minimum over queues that were ready already; newcomers are placed at it.
        double min = Double.POSITIVE_INFINITY;
        for (QueueStatus queue : queues) {
            Entity e = entities.get(queue.id());
            if (queue.ready() && e != null && e.ready && e.seenReadySince == queue.readySince()) {
                min = Math.min(min, e.vruntime);
            }
        }
        if (min != Double.POSITIVE_INFINITY) {
            runner.minVruntime = Math.max(runner.minVruntime, min);
        }
        QueueStatus best = null;
        boolean runnerContinues = false;
        for (QueueStatus queue : queues) {
            Entity e = entity(queue.id());
            if (!queue.ready()) {
                e.ready = false;
                continue;
            }
            if (!e.ready || e.seenReadySince != queue.readySince()) {
                e.ready = true;
                e.seenReadySince = queue.readySince();
                e.vruntime = Math.max(e.vruntime, runner.minVruntime);
            }
            if (queue.id() == runner.current && (runner.tail.isOpen() || now < runner.sliceEnd)) {
                runnerContinues = true;
            }
            if (best == null || before(queue, e, best, runner.current)) {
                best = queue;
            }
        }
        if (best == null) {
            runner.current = -1;
            PolicySupport.runExactly(context, queues, q -> true);
            return;
        }
        if (!runnerContinues) {
            if (previous != null && previous.id() != best.id()) {
                runner.tail.open(previous, now);
            }
            // The queue whose tail runs may win again (the runner went idle or was closed): its
            // tail, already charged to it decision by decision, ends now and its slice starts.
            runner.tail.closeIfOwnedBy(best.id(), now);
            runner.current = best.id();
            runner.sliceEnd = runner.tail.isOpen() ? Long.MAX_VALUE : PolicySupport.saturatedAdd(now, slice);
        }
        long running = runner.current;
        PolicySupport.runExactly(context, queues, q -> q.id() == running);
        if (runner.tail.isOpen()) {
            runner.tail.pollIfOpen(context, timers);
        } else {
            timers.wakeUpAt(context, runner.sliceEnd);
        }
    }

    /** Smaller virtual runtime first; on a tie, the next in queue order after the last runner. */
    private boolean before(QueueStatus a, Entity ea, QueueStatus b, long current) {
        double vb = entities.get(b.id()).vruntime;
        if (ea.vruntime != vb) {
            return ea.vruntime < vb;
        }
        return afterCurrent(a.id(), current) < afterCurrent(b.id(), current);
    }

    private static long afterCurrent(long id, long current) {
        return id > current ? id - current : id + (Long.MAX_VALUE / 2);
    }

    private Entity entity(long id) {
        return entities.computeIfAbsent(id, k -> new Entity());
    }

    /** The queue's weight: its {@code Hint.Weight}, else 1024 * 1.2^priority within [1, 10000]. */
    static double weight(QueueStatus queue) {
        return queue.hint(Hint.Weight.class)
                .map(w -> (double) w.value())
                .orElseGet(() -> priorityWeight(queue.priority()));
    }

    /** {@code 1024 * 1.2^priority}, clamped to {@link Hint.Weight}'s range. */
    static double priorityWeight(int priority) {
        return Math.clamp(NICE_0_WEIGHT * Math.pow(1.2, priority), MIN_WEIGHT, MAX_WEIGHT);
    }

    /** The virtual runtime of a queue, in weighted nanoseconds (for tests and monitoring). */
    double vruntime(long queueId) {
        Entity e = entities.get(queueId);
        return e == null ? 0 : e.vruntime;
    }

    @Override
    public String toString() {
        return NAME + "(slice=" + PolicySupport.formatNanos(slice) + ")";
    }

    /** The provider registered for {@code ServiceLoader}. */
    @PolicyInfo(name = NAME,
            description = "fair sharing: the ready queue with the least virtual runtime runs for a slice; weight from Hint.Weight or 1024*1.2^Hint.Priority within [1, 10000]",
            parameters = {"slice (5ms): how long the chosen queue runs before the choice is made again; -Dxsched.policy.cfs.slice or XSCHED_CFS_SLICE"})
    public static final class Provider implements PolicyProvider {
        /** Called by {@link java.util.ServiceLoader}. */
        public Provider() {
        }

        @Override
        public Policy create(PolicyParameters parameters) {
            return new CfsPolicy(PolicySupport.duration(parameters, "slice", DEFAULT_SLICE_NANOS));
        }
    }
}
