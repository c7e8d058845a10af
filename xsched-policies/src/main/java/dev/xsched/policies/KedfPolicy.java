package dev.xsched.policies;

import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.PolicyInfo;
import dev.xsched.core.policy.PolicyParameters;
import dev.xsched.core.policy.PolicyProvider;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * K earliest deadlines first (XSched's KEDF): earliest-deadline-first over the queues with work,
 * the {@code k} earliest run, every other ready queue is suspended; per device ({@code k} on each).
 *
 * <p><b>Deadlines.</b> A queue's current job is its busy period: it starts when the queue becomes
 * ready. Its deadline is, in order:
 * <ol>
 *   <li>a {@link Hint.AbsoluteDeadline}, for the job that is current when the hint arrives, or the
 *       next one when the queue is idle then; a later job no longer uses it;</li>
 *   <li>ready time + {@link Hint.Deadline} (relative), for every job;</li>
 *   <li>none: +infinity.</li>
 * </ol>
 * Ties go to the queue that became ready first, then to the older queue. A queue that other
 * queues are blocked on inherits the earliest of their deadlines (lending).
 *
 * <p><b>Starvation.</b> Queues without a deadline run only in the slots deadline queues leave
 * free (while fewer than {@code k} deadline queues are ready): deadline queues that keep {@code k}
 * of them ready all the time starve them, as EDF does under overload. A deadline queue waits only
 * for jobs with earlier deadlines, and every job arriving later than its deadline ranks after it,
 * so it runs once the clock passes its deadline at the latest, unless a job with an earlier
 * deadline stays busy past that (an overrunning job keeps its deadline: overload again).
 *
 * <p><b>Idle queues</b> are suspended while all {@code k} slots are taken, so new work is ranked
 * before it reaches the hardware, and resumed while a slot is free.
 */
public final class KedfPolicy implements Policy {
    /** The name it is selected by. */
    public static final String NAME = "kedf";
    private static final long UNBOUND = Long.MIN_VALUE;

    private final int k;
    /** Absolute deadlines by queue id, and the ready time of the job each applies to. */
    private final Map<Long, Absolute> absolute = new HashMap<>();

    private static final class Absolute {
        final long at;
        long boundTo = UNBOUND;

        Absolute(long at) {
            this.at = at;
        }
    }

    /**
     * A KEDF policy.
     *
     * @param k how many of the earliest-deadline ready queues of each device run at once; 1 is EDF
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public KedfPolicy(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        this.k = k;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * The number of deadline queues each device runs at once.
     *
     * @return k, &gt;= 1
     */
    public int k() {
        return k;
    }

    @Override
    public void onHint(long queueId, Hint hint, long now) {
        if (hint instanceof Hint.AbsoluteDeadline(long at)) {
            absolute.put(queueId, new Absolute(at));
        }
    }

    @Override
    public void onQueueRemoved(long queueId) {
        absolute.remove(queueId);
    }

    @Override
    public void schedule(SchedulingContext context) {
        long now = context.now();
        List<QueueStatus> queues = context.queues();
        Map<Long, Long> own = new HashMap<>();
        for (QueueStatus queue : queues) {
            own.put(queue.id(), queue.ready() ? deadline(queue, now) : Long.MAX_VALUE);
        }
        Map<Long, Long> deadlines = PolicySupport.inherit(queues, q -> own.get(q.id()), Math::min);
        for (List<QueueStatus> device : PolicySupport.byDevice(queues).values()) {
            List<QueueStatus> ready = new ArrayList<>();
            for (QueueStatus queue : device) {
                if (queue.ready()) {
                    ready.add(queue);
                }
            }
            ready.sort(Comparator.<QueueStatus>comparingLong(q -> deadlines.get(q.id()))
                    .thenComparingLong(q -> PolicySupport.readySince(q, now))
                    .thenComparingLong(QueueStatus::id));
            Set<Long> run = new HashSet<>();
            for (int i = 0; i < Math.min(k, ready.size()); i++) {
                run.add(ready.get(i).id());
            }
            boolean slotFree = ready.size() < k;
            PolicySupport.runExactly(context, device, q -> run.contains(q.id()) || (!q.ready() && slotFree));
        }
    }

    /** The deadline of a ready queue's current job; {@link Long#MAX_VALUE} for none. */
    long deadline(QueueStatus queue, long now) {
        long since = PolicySupport.readySince(queue, now);
        Absolute abs = absolute.get(queue.id());
        if (abs != null) {
            if (abs.boundTo == UNBOUND) {
                abs.boundTo = since;
            }
            if (abs.boundTo == since) {
                return abs.at;
            }
            absolute.remove(queue.id()); // it was for an earlier job
        }
        return queue.hint(Hint.Deadline.class)
                .map(d -> PolicySupport.saturatedAdd(since, d.nanos()))
                .orElse(Long.MAX_VALUE);
    }

    @Override
    public String toString() {
        return NAME + "(k=" + k + ")";
    }

    /** The provider registered for {@code ServiceLoader}. */
    @PolicyInfo(name = NAME,
            description = "k earliest deadlines first: deadline = ready time + Hint.Deadline, or Hint.AbsoluteDeadline; queues without one run only in free slots",
            parameters = {"k (1): how many of the earliest-deadline ready queues run at once; -Dxsched.policy.kedf.k or XSCHED_KEDF_K"})
    public static final class Provider implements PolicyProvider {
        /** Called by {@link java.util.ServiceLoader}. */
        public Provider() {
        }

        @Override
        public Policy create(PolicyParameters parameters) {
            return new KedfPolicy(PolicySupport.intIn(parameters, "k", 1, 1, 1 << 16));
        }
    }
}
