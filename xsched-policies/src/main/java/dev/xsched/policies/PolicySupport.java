package dev.xsched.policies;

import dev.xsched.core.policy.PolicyParameters;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/** What several policies share: parameter parsing, decisions, lending, timers. */
final class PolicySupport {
    private PolicySupport() {
    }

    /** A plain decimal number: digits with an optional fraction, nothing else. */
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]*)?|\\.[0-9]+");

    /**
     * A duration parameter: a number with an optional unit ({@code ns}, {@code us}, {@code ms},
     * {@code s}); a bare number is nanoseconds. Must be positive.
     */
    static long duration(PolicyParameters parameters, String name, long defaultNanos) {
        String text = parameters.string(name, null);
        if (text == null) {
            return defaultNanos;
        }
        long nanos = parseDuration(text);
        if (nanos <= 0) {
            throw new IllegalArgumentException("policy " + parameters.policy() + " parameter " + name
                    + " must be a duration of at least 1 ns: a decimal number and a unit, ns, us, ms or s "
                    + "(a bare number is nanoseconds), for example 5ms, 500us, 1.5s; got '" + text + "'");
        }
        return nanos;
    }

    /**
     * {@code 5ms} -> 5000000; -1 when it cannot be read. The number must be plain decimal:
     * {@link Double#parseDouble} alone also took Java's suffixes and hexadecimal, so {@code 5d}
     * (meant as days, or a typo) was 5 ns and {@code 0x1p4} was 16 ns.
     */
    static long parseDuration(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT).replace("_", "");
        long unit = 1;
        for (var u : List.of(Map.entry("ns", 1L), Map.entry("us", 1_000L), Map.entry("µs", 1_000L),
                Map.entry("ms", 1_000_000L), Map.entry("s", 1_000_000_000L))) {
            if (s.endsWith(u.getKey())) {
                s = s.substring(0, s.length() - u.getKey().length()).strip();
                unit = u.getValue();
                break;
            }
        }
        if (!DECIMAL.matcher(s).matches()) {
            return -1;
        }
        double nanos = Double.parseDouble(s) * unit;
        return Double.isFinite(nanos) && nanos >= 1 && nanos < Long.MAX_VALUE ? Math.round(nanos) : -1;
    }

    /** An integer parameter that must lie in [min, max]. */
    static int intIn(PolicyParameters parameters, String name, int defaultValue, int min, int max) {
        int value = parameters.intValue(name, defaultValue);
        if (value < min || value > max) {
            throw new IllegalArgumentException("policy " + parameters.policy() + " parameter " + name
                    + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    /** Nanoseconds for people: 5ms, 250us, 1.5s. */
    static String formatNanos(long nanos) {
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }

    /** {@code a + b}, or {@link Long#MAX_VALUE} on overflow. */
    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
    }

    /**
     * When a ready queue became ready; {@code now} for an idle one (the time its next work would
     * start from). Readiness comes from {@link QueueStatus#ready()} alone: the scheduler's clock
     * may be negative (the default is {@link System#nanoTime()}), so a negative {@code readySince}
     * is a time, not the idle marker; taking it for one made lax's critical instant and kedf's
     * relative deadlines move with {@code now}, every decision.
     */
    static long readySince(QueueStatus queue, long now) {
        return queue.ready() ? queue.readySince() : now;
    }

    /** Resumes the queues {@code runs} accepts and suspends every other one. */
    static void runExactly(SchedulingContext context, Predicate<QueueStatus> runs) {
        runExactly(context, context.queues(), runs);
    }

    /** Resumes those of {@code queues} that {@code runs} accepts and suspends the others among them. */
    static void runExactly(SchedulingContext context, List<QueueStatus> queues, Predicate<QueueStatus> runs) {
        for (QueueStatus queue : queues) {
            if (runs.test(queue)) {
                context.resume(queue.id());
            } else {
                context.suspend(queue.id());
            }
        }
    }

    /**
     * The queues of each device, in queue order, devices in index order. Devices are scheduled
     * independently: a queue on one device never holds back a queue on another.
     */
    static Map<Integer, List<QueueStatus>> byDevice(List<QueueStatus> queues) {
        Map<Integer, List<QueueStatus>> devices = new TreeMap<>();
        for (QueueStatus queue : queues) {
            devices.computeIfAbsent(queue.deviceIndex(), k -> new ArrayList<>()).add(queue);
        }
        return devices;
    }

    /**
     * Values inherited through lending: a queue that a blocked queue waits on gets
     * {@code combine(own, waiter's)}, transitively (the waiter's value is itself inherited). The
     * scheduler already keeps such a producer running while its waiter runs; a policy that also
     * ranks it by the waiter's value decides consistently instead of suspending it each time.
     *
     * <p>{@code combine} must be a selection such as {@code max} or {@code min} (associative,
     * commutative, idempotent). A work list carries each change one link at a time, so a chain of
     * n queues costs O(n) per value that moves along it, where a fixpoint over every queue per round
     * cost O(n<sup>2</sup>): a client of the scheduler server that chained thousands of queues
     * held the server's one thread for seconds per round. A cycle of waits (a deadlock the
     * scheduler cannot break) settles on the combination of its members.
     */
    static Map<Long, Long> inherit(List<QueueStatus> queues, ToLongFunction<QueueStatus> own, BinaryOperator<Long> combine) {
        Map<Long, Long> value = new HashMap<>();
        for (QueueStatus queue : queues) {
            value.put(queue.id(), own.applyAsLong(queue));
        }
        // Who each waiter lends to: the producers whose lendersOf names it (and that are scheduled here).
        Map<Long, List<Long>> lendsTo = new HashMap<>();
        for (QueueStatus producer : queues) {
            for (Long waiter : producer.lendersOf()) {
                if (value.containsKey(waiter)) {
                    lendsTo.computeIfAbsent(waiter, k -> new ArrayList<>()).add(producer.id());
                }
            }
        }
        ArrayDeque<Long> work = new ArrayDeque<>(lendsTo.keySet());
        Set<Long> queued = new HashSet<>(lendsTo.keySet());
        while (!work.isEmpty()) {
            Long waiter = work.poll();
            queued.remove(waiter);
            Long lent = value.get(waiter);
            for (Long producer : lendsTo.get(waiter)) {
                long before = value.get(producer);
                long after = combine.apply(before, lent);
                if (after != before) {
                    value.put(producer, after);
                    if (lendsTo.containsKey(producer) && queued.add(producer)) {
                        work.add(producer);
                    }
                }
            }
        }
        return value;
    }

    /**
     * Asks for wake-ups without piling up duplicates: the scheduler keeps every requested time, so
     * a policy that asks again at each decision for the same instant would queue one timer per
     * decision.
     */
    static final class Timers {
        private final TreeSet<Long> pending = new TreeSet<>();

        void wakeUpAt(SchedulingContext context, long atNanos) {
            pending.headSet(context.now(), true).clear();
            if (atNanos > context.now() && pending.add(atNanos)) {
                context.wakeUpAt(atNanos);
            }
        }
    }

    /**
     * The in-flight tail of a queue that lost the device. Suspending a queue stops its launches,
     * but what it already released runs on (Level-1 preemption): up to {@code threshold} commands
     * that occupy the next queue's turn. A time-sharing policy that ignores the tail charges it
     * to the wrong queue; with a short turn after a long one the error is large (UP 75/25 with
     * 1 ms tails measured 70/30). A tail ends when its queue has nothing in flight any more, which
     * the scheduler reports no event for, so the policy polls for it.
     */
    static final class Tail {
        private final long pollNanos;
        private long queue = -1;
        private long since;

        Tail(long pollNanos) {
            this.pollNanos = Math.max(1, pollNanos);
        }

        boolean isOpen() {
            return queue != -1;
        }

        /** The queue whose tail runs, or -1. */
        long queue() {
            return queue;
        }

        /** {@code previous} just lost the device at {@code now}: opens its tail if it has work in flight. */
        void open(QueueStatus previous, long now) {
            if (previous != null && previous.inFlight() > 0 && queue == -1) {
                queue = previous.id();
                since = now;
            }
        }

        /**
         * Whether the open tail has ended by now (its queue has nothing in flight or is gone).
         *
         * @return the tail's length when it ended at this decision, else -1
         */
        long closeIfDrained(List<QueueStatus> queues, long now) {
            if (queue == -1) {
                return -1;
            }
            QueueStatus status = null;
            for (QueueStatus q : queues) {
                if (q.id() == queue) {
                    status = q;
                }
            }
            if (status == null || status.inFlight() == 0) {
                queue = -1;
                return Math.max(0, now - since);
            }
            return -1;
        }

        /**
         * {@code queueId} takes the device back while its own tail is still open: the tail ends
         * here. The tail would otherwise close only when the queue has nothing in flight, which a
         * queue that is running and busy never reaches, so the slice that waits for the tail
         * would never start nor end, and every other queue would wait as long as it stays busy.
         *
         * @return the tail's length when it was {@code queueId}'s, else -1
         */
        long closeIfOwnedBy(long queueId, long now) {
            if (queue == -1 || queue != queueId) {
                return -1;
            }
            queue = -1;
            return Math.max(0, now - since);
        }

        /** While a tail is open, asks to be woken to look again: no event reports its end. */
        void pollIfOpen(SchedulingContext context, Timers timers) {
            if (queue != -1) {
                timers.wakeUpAt(context, context.now() + pollNanos);
            }
        }
    }
}
