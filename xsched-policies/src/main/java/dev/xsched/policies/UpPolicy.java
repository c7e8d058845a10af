package dev.xsched.policies;

import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.PolicyInfo;
import dev.xsched.core.policy.PolicyParameters;
import dev.xsched.core.policy.PolicyProvider;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Utilization partition (XSched's UP): the ready queues take turns, in queue order, and each turn
 * lasts {@code timeslice * util / sum(util of the ready queues)}, where util is the queue's
 * {@link Hint.Utilization} percentage. Only the queue owning the current slice runs; the others,
 * ready or idle, are suspended. With no queue ready, every queue is resumed. Each device has its
 * own turns.
 *
 * <p>Over a round every ready queue gets device time in proportion to its utilization; two
 * always-busy queues at 75 and 25 share the device 75/25. A queue that goes idle gives the rest of
 * its slice up; shares are of the time the queues actually want.
 *
 * <p>Queues without a {@code Utilization} hint get {@code default-utilization} (not 0: a queue
 * without a hint still progresses). A {@link Hint.Timeslice} on a queue replaces
 * {@code timeslice} when that queue's slice is computed.
 *
 * <p><b>Tails.</b> Suspending a queue stops its launches, but what it has in flight runs on
 * (Level-1 preemption), into the next queue's turn. The policy measures each such tail (from the
 * switch until the queue has nothing in flight; it looks every {@code timeslice / 100}), starts
 * the next queue's slice only when the tail has ended (or ends the tail at once when its own queue
 * takes the device back), and takes the tail's length off the tailing
 * queue's next slices (down to 1/8 of a slice per turn; a queue owing a whole share skips its
 * turn). Without this, a short turn after a long
 * one loses a tail-sized part of itself: 75/25 with 1 ms tails measured 70/30 (XSched reports
 * 73/28 on an MI50 at Level 1). The accounting assumes a queue's kernels fill the device; where
 * two queues' kernels overlap, a tail is over-charged.
 *
 * <p><b>Starvation:</b> none; every ready queue gets a turn each round unless it owes a whole
 * share for its tails, and then it pays one share per turn it skips. So a queue whose tails are
 * long against its share (a small utilization or timeslice, a high threshold, long kernels) is
 * served in bursts, once every (tail / share) rounds: on the simulator a queue at 1% utilization
 * with four 0.84 ms kernels in flight per turn waited 351 ms between kernels, its long-run share
 * kept. A small threshold keeps tails, and so these gaps, short.
 */
public final class UpPolicy implements Policy {
    /** The name it is selected by. */
    public static final String NAME = "up";
    /** The default round the ready queues share: 5 ms. */
    public static final long DEFAULT_TIMESLICE_NANOS = 5_000_000L;
    /** The default share, in percent, of a queue without a {@link Hint.Utilization}. */
    public static final int DEFAULT_UTILIZATION = 10;
    /** How often the end of a tail is looked for, per timeslice. */
    private static final int POLLS_PER_TIMESLICE = 100;

    private final long timeslice;
    private final int defaultUtilization;
    private final PolicySupport.Timers timers = new PolicySupport.Timers();
    /** Device time a queue used after its slices ended (its tails), paid back from its next slices. */
    private final Map<Long, Long> debt = new HashMap<>();
    /** The turn on each device. */
    private final Map<Integer, Turn> turns = new HashMap<>();

    private final class Turn {
        final PolicySupport.Tail tail = new PolicySupport.Tail(timeslice / POLLS_PER_TIMESLICE);
        long owner = -1;
        long sliceLength;
        long sliceEnd;
    }

    /**
     * A UP policy.
     *
     * @param timesliceNanos     the round the ready queues share, in nanoseconds (scheduler clock), &gt; 0
     * @param defaultUtilization the share in percent of a queue without a {@link Hint.Utilization},
     *                           in [1, 100]
     * @throws IllegalArgumentException if a value is out of range
     */
    public UpPolicy(long timesliceNanos, int defaultUtilization) {
        if (timesliceNanos <= 0) {
            throw new IllegalArgumentException("timeslice must be > 0 ns, got " + timesliceNanos);
        }
        if (defaultUtilization < 1 || defaultUtilization > 100) {
            throw new IllegalArgumentException("default utilization must be in [1, 100], got " + defaultUtilization);
        }
        this.timeslice = timesliceNanos;
        this.defaultUtilization = defaultUtilization;
    }

    /** A UP policy with the default timeslice and utilization. */
    public UpPolicy() {
        this(DEFAULT_TIMESLICE_NANOS, DEFAULT_UTILIZATION);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onQueueRemoved(long queueId) {
        debt.remove(queueId);
        for (Turn turn : turns.values()) {
            // A tail of the closed queue stays open until the next decision, which sees the queue
            // gone, ends the tail and starts the owner's slice (forgetting it here left the
            // owner's slice waiting for a tail that no decision would end).
            if (queueId == turn.owner) {
                turn.owner = -1;
            }
        }
    }

    @Override
    public void schedule(SchedulingContext context) {
        PolicySupport.byDevice(context.queues()).forEach((device, queues) ->
                schedule(context, queues, turns.computeIfAbsent(device, k -> new Turn())));
    }

    private void schedule(SchedulingContext context, List<QueueStatus> queues, Turn turn) {
        long now = context.now();
        long tailQueue = turn.tail.queue();
        long tailLength = turn.tail.closeIfDrained(queues, now);
        if (tailLength >= 0) {
            if (queues.stream().anyMatch(q -> q.id() == tailQueue)) { // a closed queue owes nothing
                debt.merge(tailQueue, tailLength, Long::sum);
            }
            turn.sliceEnd = PolicySupport.saturatedAdd(now, turn.sliceLength); // the owner's slice starts now
        }
        List<QueueStatus> ready = new ArrayList<>();
        QueueStatus current = null;
        QueueStatus previous = null;
        for (QueueStatus queue : queues) {
            if (queue.id() == turn.owner) {
                previous = queue;
            }
            if (queue.ready()) {
                ready.add(queue);
                if (queue.id() == turn.owner) {
                    current = queue;
                }
            }
        }
        if (ready.isEmpty()) {
            turn.owner = -1;
            PolicySupport.runExactly(context, queues, q -> true);
            return;
        }
        if (current == null || (!turn.tail.isOpen() && now >= turn.sliceEnd)) {
            current = next(ready, turn.owner);
            if (previous != null && previous.id() != current.id()) {
                turn.tail.open(previous, now);
            }
            // The queue whose tail runs may be the next one (the owner went idle or was closed):
            // its tail then ends now and is charged to it like any other tail.
            long ownTail = turn.tail.closeIfOwnedBy(current.id(), now);
            if (ownTail >= 0) {
                debt.merge(current.id(), ownTail, Long::sum);
            }
            turn.owner = current.id();
            turn.sliceLength = slice(current, ready);
            turn.sliceEnd = turn.tail.isOpen() ? Long.MAX_VALUE : PolicySupport.saturatedAdd(now, turn.sliceLength);
        }
        long running = turn.owner;
        PolicySupport.runExactly(context, queues, q -> q.id() == running);
        if (turn.tail.isOpen()) {
            turn.tail.pollIfOpen(context, timers);
        } else {
            timers.wakeUpAt(context, turn.sliceEnd);
        }
    }

    /**
     * The next queue in turn after the current owner, in queue order, wrapping around; a queue
     * that owes at least its whole share for earlier tails skips its turn (paying the share), unless
     * every ready queue would skip.
     */
    private QueueStatus next(List<QueueStatus> ready, long owner) {
        int first = 0;
        while (first < ready.size() && ready.get(first).id() <= owner) {
            first++;
        }
        for (int i = 0; i < ready.size(); i++) {
            QueueStatus candidate = ready.get((first + i) % ready.size());
            long share = share(candidate, ready);
            long owed = debt.getOrDefault(candidate.id(), 0L);
            if (owed < share || i == ready.size() - 1) {
                return candidate;
            }
            debt.put(candidate.id(), owed - share);
        }
        throw new IllegalStateException("unreachable: no ready queue");
    }

    /** {@code timeslice * util / sum(util)}, less what the queue owes for its tails (down to 1/8 of that). */
    private long slice(QueueStatus queue, List<QueueStatus> ready) {
        long share = share(queue, ready);
        long owed = debt.getOrDefault(queue.id(), 0L);
        long paid = Math.min(owed, share - Math.max(1, share / 8));
        if (paid > 0) {
            debt.put(queue.id(), owed - paid);
        }
        return share - Math.max(0, paid);
    }

    private long share(QueueStatus queue, List<QueueStatus> ready) {
        long total = 0;
        for (QueueStatus q : ready) {
            total += utilization(q);
        }
        long round = queue.hint(Hint.Timeslice.class).map(Hint.Timeslice::nanos).orElse(timeslice);
        return Math.max(1, Math.round((double) round * utilization(queue) / total));
    }

    int utilization(QueueStatus queue) {
        return queue.hint(Hint.Utilization.class).map(Hint.Utilization::percent).orElse(defaultUtilization);
    }

    @Override
    public String toString() {
        return NAME + "(timeslice=" + PolicySupport.formatNanos(timeslice) + ", default-utilization=" + defaultUtilization + ")";
    }

    /** The provider registered for {@code ServiceLoader}. */
    @PolicyInfo(name = NAME,
            description = "utilization partition: ready queues take turns of timeslice * Hint.Utilization / sum of the ready queues' utilizations",
            parameters = {
                    "timeslice (5ms): the round the ready queues share (a Hint.Timeslice overrides it per queue); -Dxsched.policy.up.timeslice or XSCHED_UP_TIMESLICE",
                    "default-utilization (10): the share in percent of a queue without a Hint.Utilization; -Dxsched.policy.up.default-utilization or XSCHED_UP_DEFAULT_UTILIZATION"})
    public static final class Provider implements PolicyProvider {
        /** Called by {@link java.util.ServiceLoader}. */
        public Provider() {
        }

        @Override
        public Policy create(PolicyParameters parameters) {
            return new UpPolicy(PolicySupport.duration(parameters, "timeslice", DEFAULT_TIMESLICE_NANOS),
                    PolicySupport.intIn(parameters, "default-utilization", DEFAULT_UTILIZATION, 1, 100));
        }
    }
}
