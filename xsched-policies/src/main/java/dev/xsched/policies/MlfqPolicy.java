package dev.xsched.policies;

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
 * Multi-level feedback queue (XSched's MLFQ): short jobs first without being told which are short.
 *
 * <ul>
 *   <li>{@code levels} levels, 0 the highest; a queue at level l gets slices of
 *       {@code slice * 2^l}.</li>
 *   <li>New work enters level 0: a queue the policy has not seen, and every queue at a boost.</li>
 *   <li>A queue that has used a whole slice at its level drops one level (the bottom level keeps
 *       it). Usage at a level accumulates across the queue's busy periods, so a queue cannot
 *       keep level 0 by going idle just before its slice ends (a training loop that synchronises
 *       every iteration still sinks).</li>
 *   <li>The highest non-empty level runs, one queue at a time, round-robin in queue order within
 *       the level; a queue that reaches a higher level preempts (at the next decision).</li>
 *   <li>Every {@code boost} all queues return to level 0 with fresh slices, so nothing starves and
 *       a queue whose work became short again is recognised.</li>
 * </ul>
 * With no queue ready every queue is resumed; otherwise only the runner is. Each device has its
 * own runner; levels and boosts are per queue.
 *
 * <p>Usage is measured on the scheduler's clock while a queue holds the turn. The in-flight tail
 * of a preempted queue (Level 1: up to {@code threshold} commands) is charged to the next runner,
 * unlike in {@link UpPolicy} and {@link CfsPolicy}: one tail per switch barely moves a level
 * boundary of 10 ms or more.
 *
 * <p><b>Starvation:</b> none; a queue at the bottom level waits at most until the next boost plus
 * the level-0 slices of the others.
 */
public final class MlfqPolicy implements Policy {
    /** The name it is selected by. */
    public static final String NAME = "mlfq";
    /** The default number of levels. */
    public static final int DEFAULT_LEVELS = 4;
    /** The default slice of level 0: 10 ms. */
    public static final long DEFAULT_SLICE_NANOS = 10_000_000L;
    /** The default boost period: 1 s. */
    public static final long DEFAULT_BOOST_NANOS = 1_000_000_000L;

    private final int levels;
    private final long slice;
    private final long boost;
    private final PolicySupport.Timers timers = new PolicySupport.Timers();
    private final Map<Long, Entry> entries = new HashMap<>();
    /** The runner of each device. */
    private final Map<Integer, Turn> turns = new HashMap<>();
    private long nextBoost = Long.MIN_VALUE;

    private static final class Turn {
        long current = -1;
        long lastAccounted;
    }

    private static final class Entry {
        int level;
        long used;
    }

    /**
     * An MLFQ policy.
     *
     * @param levels     the number of levels, in [1, 32]
     * @param sliceNanos the slice of level 0 in nanoseconds (scheduler clock), doubled at each
     *                   lower level; &gt; 0
     * @param boostNanos how often every queue returns to level 0, in nanoseconds; &gt; 0
     * @throws IllegalArgumentException if a value is out of range
     */
    public MlfqPolicy(int levels, long sliceNanos, long boostNanos) {
        if (levels < 1 || levels > 32) {
            throw new IllegalArgumentException("levels must be in [1, 32], got " + levels);
        }
        if (sliceNanos <= 0 || boostNanos <= 0) {
            throw new IllegalArgumentException("slice and boost must be > 0 ns, got " + sliceNanos + ", " + boostNanos);
        }
        this.levels = levels;
        this.slice = sliceNanos;
        this.boost = boostNanos;
    }

    /** An MLFQ policy with the default levels, slice and boost. */
    public MlfqPolicy() {
        this(DEFAULT_LEVELS, DEFAULT_SLICE_NANOS, DEFAULT_BOOST_NANOS);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onQueueRemoved(long queueId) {
        entries.remove(queueId);
        for (Turn turn : turns.values()) {
            if (queueId == turn.current) {
                turn.current = -1;
            }
        }
    }

    @Override
    public void schedule(SchedulingContext context) {
        long now = context.now();
        if (nextBoost == Long.MIN_VALUE) {
            nextBoost = PolicySupport.saturatedAdd(now, boost);
        }
        Map<Integer, List<QueueStatus>> devices = PolicySupport.byDevice(context.queues());
        Map<Integer, Boolean> turnOver = new HashMap<>();
        for (Integer device : devices.keySet()) {
            turnOver.put(device, charge(turns.computeIfAbsent(device, k -> new Turn()), now));
        }
        if (now >= nextBoost) {
            entries.values().forEach(e -> {
                e.level = 0;
                e.used = 0;
            });
            nextBoost = PolicySupport.saturatedAdd(now, boost);
        }
        boolean anyBelowTop = false;
        for (var device : devices.entrySet()) {
            anyBelowTop |= choose(context, device.getValue(), turns.get(device.getKey()), turnOver.get(device.getKey()));
        }
        if (anyBelowTop) {
            timers.wakeUpAt(context, nextBoost);
        }
    }

    /** Charges the runner for the time since the last decision; whether its turn is over. */
    private boolean charge(Turn turn, long now) {
        boolean over = false;
        Entry runner = entries.get(turn.current);
        if (runner != null) {
            runner.used += Math.max(0, now - turn.lastAccounted);
            if (runner.used >= sliceAt(runner.level)) {
                runner.level = Math.min(runner.level + 1, levels - 1);
                runner.used = 0;
                over = true; // whether or not it dropped
            }
        }
        turn.lastAccounted = now;
        return over;
    }

    /** Picks the runner of one device; whether a ready queue there sits below level 0. */
    private boolean choose(SchedulingContext context, List<QueueStatus> queues, Turn turn, boolean turnOver) {
        int top = levels;
        boolean belowTop = false;
        for (QueueStatus queue : queues) {
            Entry e = entries.computeIfAbsent(queue.id(), k -> new Entry());
            if (queue.ready()) {
                top = Math.min(top, e.level);
                belowTop |= e.level > 0;
            }
        }
        if (top == levels) {
            turn.current = -1;
            PolicySupport.runExactly(context, queues, q -> true);
            return false;
        }
        QueueStatus chosen = null;
        for (QueueStatus queue : queues) {
            if (queue.id() == turn.current && queue.ready() && entries.get(turn.current).level == top && !turnOver) {
                chosen = queue;
            }
        }
        if (chosen == null) {
            chosen = nextAtLevel(queues, top, turn.current);
        }
        turn.current = chosen.id();
        long running = turn.current;
        PolicySupport.runExactly(context, queues, q -> q.id() == running);
        Entry e = entries.get(running);
        timers.wakeUpAt(context, PolicySupport.saturatedAdd(context.now(), sliceAt(e.level) - e.used));
        return belowTop;
    }

    /** The first ready queue of {@code level} after the current runner, in queue order, wrapping around. */
    private QueueStatus nextAtLevel(List<QueueStatus> queues, int level, long current) {
        QueueStatus first = null;
        for (QueueStatus queue : queues) {
            if (queue.ready() && entries.get(queue.id()).level == level) {
                if (queue.id() > current) {
                    return queue;
                }
                if (first == null) {
                    first = queue;
                }
            }
        }
        return first;
    }

    long sliceAt(int level) {
        return level >= Long.numberOfLeadingZeros(slice) - 1 ? Long.MAX_VALUE : slice << level;
    }

    /** The level of a queue (for tests and monitoring); 0 for an unknown queue. */
    int level(long queueId) {
        Entry e = entries.get(queueId);
        return e == null ? 0 : e.level;
    }

    @Override
    public String toString() {
        return NAME + "(levels=" + levels + ", slice=" + PolicySupport.formatNanos(slice) + ", boost="
                + PolicySupport.formatNanos(boost) + ")";
    }

    /** The provider registered for {@code ServiceLoader}. */
    @PolicyInfo(name = NAME,
            description = "multi-level feedback queue: new work at the top level, a queue that uses a whole slice drops a level, periodic boost",
            parameters = {
                    "levels (4): number of levels; -Dxsched.policy.mlfq.levels or XSCHED_MLFQ_LEVELS",
                    "slice (10ms): the slice of level 0, doubled at each lower level; -Dxsched.policy.mlfq.slice or XSCHED_MLFQ_SLICE",
                    "boost (1s): how often every queue returns to level 0; -Dxsched.policy.mlfq.boost or XSCHED_MLFQ_BOOST"})
    public static final class Provider implements PolicyProvider {
        /** Called by {@link java.util.ServiceLoader}. */
        public Provider() {
        }

        @Override
        public Policy create(PolicyParameters parameters) {
            return new MlfqPolicy(PolicySupport.intIn(parameters, "levels", DEFAULT_LEVELS, 1, 32),
                    PolicySupport.duration(parameters, "slice", DEFAULT_SLICE_NANOS),
                    PolicySupport.duration(parameters, "boost", DEFAULT_BOOST_NANOS));
        }
    }
}
