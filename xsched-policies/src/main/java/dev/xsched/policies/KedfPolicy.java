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
import java.util.function.Predicate;

/**
 * K earliest deadlines first (XSched's KEDF): earliest-deadline-first over the queues with work,
 * the {@code k} earliest run, every other ready queue is suspended; per device ({@code k} on each).
 *
 * <p><b>Deadlines.</b> A queue's current job is its busy period: it starts when the queue becomes
 * ready. Its deadline is, in order:
 * <ol>
 *   <li>a {@link Hint.AbsoluteDeadline}, for the job that is current when the hint arrives, or the
 *       next one when the queue is idle then (also when that job becomes ready after the deadline:
 *       it is late, and ranks first); a later job no longer uses it. A hint that arrives after its
 *       deadline has passed binds only to a job that began before the deadline: a policy switch
 *       hands the new policy every queue's latest hints, an absolute deadline whose job ended long
 *       ago among them, and the queue's next job must not rank with it ahead of every honest one;</li>
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
 *
 * <p><b>Hand-over</b> ({@code handover}, default {@code immediate}). Suspending a queue stops its
 * launches, but what it already released runs on (Level-1 preemption). A queue that wins a slot
 * while a losing queue of its device still has work in flight is, under {@code drain}, resumed only
 * once that work has completed (the policy looks every {@code poll}: no event reports it). On
 * streams of equal hardware priority, releasing the winner earlier would not start its work any
 * sooner, since it queues on the device behind the loser's, but it would commit the device to it:
 * a job with a still earlier deadline that arrives meanwhile would then wait for the loser's work
 * and for the winner's released command too. In the deadline benchmark on the H200 (2026-11-29,
 * {@code immediate} then), task A's median response was about 1.7 ms longer at the instants when
 * task B arrived 0.2 ms before it while task C had a kernel in flight, and all 3 of its misses in
 * 2,000 were at those instants. Under {@code immediate} the winner is
 * resumed at once: the choice where each deadline queue's stream has a hardware priority that
 * orders it before the streams of later deadlines, so its released work overtakes theirs. The
 * default stays {@code immediate}: on the H200 (2026-12-01, {@code xsched bench policies --only
 * deadline}, 20 s) {@code drain} missed 12 of about 3,200 deadlines, where {@code immediate} had
 * missed 2 in the same benchmark earlier that day; the poll and the idle moment at each hand-over
 * cost more than the rare commitment they avoid.
 */
public final class KedfPolicy implements Policy {
    /** The name it is selected by. */
    public static final String NAME = "kedf";
    /** How often a hand-over looks whether the losers' work in flight has completed. */
    public static final long DEFAULT_POLL_NANOS = 20_000L;
    private static final long UNBOUND = Long.MIN_VALUE;

    /** When a queue that wins a slot is resumed. */
    public enum Handover {
        /** Once the losing queues of its device have nothing in flight. */
        DRAIN,
        /** At once. */
        IMMEDIATE
    }

    private final int k;
    private final Handover handover;
    private final long pollNanos;
    private final PolicySupport.Timers timers = new PolicySupport.Timers();
    /** Absolute deadlines by queue id, and the ready time of the job each applies to. */
    private final Map<Long, Absolute> absolute = new HashMap<>();

    private static final class Absolute {
        final long at;
        /** When the hint arrived (the policy's clock). */
        final long receivedAt;
        long boundTo = UNBOUND;

        Absolute(long at, long receivedAt) {
            this.at = at;
            this.receivedAt = receivedAt;
        }

        /**
         * Whether it is the deadline of a job that became ready at {@code since} and has none
         * bound yet: one that began before the deadline, or the one the hint was given for before
         * its deadline came (a job submitted late is late, and ranks first). A hint that arrived
         * after its deadline, for a job that began after it, names no job: a policy switch's
         * replay of a deadline whose job ended long ago.
         */
        boolean isFor(long since) {
            return since <= at || receivedAt <= at;
        }
    }

    /**
     * A KEDF policy.
     *
     * @param k         how many of the earliest-deadline ready queues of each device run at once; 1 is EDF
     * @param handover  when a queue that wins a slot is resumed
     * @param pollNanos how often a {@link Handover#DRAIN} hand-over looks at the losers' work in flight, in ns, &gt; 0
     * @throws IllegalArgumentException if {@code k < 1} or {@code pollNanos <= 0}
     */
    public KedfPolicy(int k, Handover handover, long pollNanos) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (pollNanos <= 0) {
            throw new IllegalArgumentException("poll must be > 0 ns, got " + pollNanos);
        }
        this.k = k;
        this.handover = java.util.Objects.requireNonNull(handover, "handover");
        this.pollNanos = pollNanos;
    }

    /**
     * {@code k} slots, hand-over at once ({@link Handover#IMMEDIATE}).
     *
     * @param k how many of the earliest-deadline ready queues of each device run at once; 1 is EDF
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public KedfPolicy(int k) {
        this(k, Handover.IMMEDIATE, DEFAULT_POLL_NANOS);
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

    /**
     * When a queue that wins a slot is resumed.
     *
     * @return the hand-over this policy was made with
     */
    public Handover handover() {
        return handover;
    }

    @Override
    public void onHint(long queueId, Hint hint, long now) {
        if (hint instanceof Hint.AbsoluteDeadline(long at)) {
            absolute.put(queueId, new Absolute(at, now));
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
            Predicate<QueueStatus> wins = q -> run.contains(q.id()) || (!q.ready() && slotFree);
            boolean draining = handover == Handover.DRAIN
                    && device.stream().anyMatch(q -> !wins.test(q) && q.inFlight() > 0);
            // While losers drain, a winner that is suspended stays so; one already running keeps running.
            PolicySupport.runExactly(context, device, q -> wins.test(q) && !(draining && q.suspended()));
            if (draining) {
                timers.wakeUpAt(context, PolicySupport.saturatedAdd(now, pollNanos));
            }
        }
    }

    /** The deadline of a ready queue's current job; {@link Long#MAX_VALUE} for none. */
    long deadline(QueueStatus queue, long now) {
        long since = PolicySupport.readySince(queue, now);
        Absolute abs = absolute.get(queue.id());
        if (abs != null) {
            if (abs.boundTo == UNBOUND && abs.isFor(since)) {
                abs.boundTo = since;
            }
            if (abs.boundTo == since) {
                return abs.at;
            }
            absolute.remove(queue.id()); // it was for an earlier job, or names none (Absolute.isFor)
        }
        return queue.hint(Hint.Deadline.class)
                .map(d -> PolicySupport.saturatedAdd(since, d.nanos()))
                .orElse(Long.MAX_VALUE);
    }

    @Override
    public String toString() {
        return NAME + "(k=" + k + ", handover=" + handover.name().toLowerCase(java.util.Locale.ROOT)
                + (handover == Handover.DRAIN ? ", poll=" + PolicySupport.formatNanos(pollNanos) : "") + ")";
    }

    /** The provider registered for {@code ServiceLoader}. */
    @PolicyInfo(name = NAME,
            description = "k earliest deadlines first: deadline = ready time + Hint.Deadline, or Hint.AbsoluteDeadline; queues without one run only in free slots",
            parameters = {"k (1): how many of the earliest-deadline ready queues run at once; -Dxsched.policy.kedf.k or XSCHED_KEDF_K",
                    "handover (immediate): drain resumes a queue that wins a slot once the losers' work in flight has completed; "
                            + "immediate resumes it at once (for deadline queues on stream priorities ordered like their deadlines); "
                            + "-Dxsched.policy.kedf.handover or XSCHED_KEDF_HANDOVER",
                    "poll (20us): how often a drain looks whether the losers' work has completed; -Dxsched.policy.kedf.poll or XSCHED_KEDF_POLL"})
    public static final class Provider implements PolicyProvider {
        /** Called by {@link java.util.ServiceLoader}. */
        public Provider() {
        }

        @Override
        public Policy create(PolicyParameters parameters) {
            String handover = parameters.string("handover", "immediate").strip().toUpperCase(java.util.Locale.ROOT);
            if (!List.of("DRAIN", "IMMEDIATE").contains(handover)) {
                throw new IllegalArgumentException("policy " + parameters.policy() + " parameter handover must be drain or "
                        + "immediate, got '" + parameters.string("handover", "") + "'");
            }
            return new KedfPolicy(PolicySupport.intIn(parameters, "k", 1, 1, 1 << 16), Handover.valueOf(handover),
                    PolicySupport.duration(parameters, "poll", DEFAULT_POLL_NANOS));
        }
    }
}
