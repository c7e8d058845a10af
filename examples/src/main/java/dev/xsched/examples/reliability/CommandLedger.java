package dev.xsched.examples.reliability;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which tagged kernel launches were accepted and which ran, to find a command lost, run twice or
 * run without being accepted. Every launch gets a new tag; the submitter calls {@link #accepted}
 * once the launch returned normally, the kernel's body calls {@link #ran} when it executes (on the
 * simulator's thread); both name the queue by a number of the caller's choosing. The caller
 * also tells it which queues {@link #failed}: their accepted launches may legitimately never run
 * (a failure drops what the queue still held), and are counted apart. Thread-safe.
 */
public final class CommandLedger {
    private final AtomicLong lastTag = new AtomicLong();
    private final BitSet accepted = new BitSet();
    private final BitSet ran = new BitSet();
    private final List<Long> ranTwice = new ArrayList<>();
    /** Per queue number: {accepted, ran}. */
    private final Map<Integer, long[]> perQueue = new HashMap<>();
    private final Set<Integer> failedQueues = new TreeSet<>();
    /** Per queue: tags accepted and not run yet (a few per queue, but those dropped stay). */
    private final Map<Integer, Set<Integer>> pending = new HashMap<>();
    /** Per queue given a faulting launch: the tags pending just before its first one, which must still run. */
    private final Map<Integer, int[]> beforeFault = new HashMap<>();

    /** An empty ledger: no tag given out yet. */
    public CommandLedger() {
    }

    /** A tag never used before (tags fit an int: a ledger holds at most 2^31 - 1 launches). */
    public int nextTag() {
        long tag = lastTag.incrementAndGet();
        if (tag > Integer.MAX_VALUE) {
            throw new IllegalStateException("more than " + Integer.MAX_VALUE + " tagged launches in one ledger");
        }
        return (int) tag;
    }

    public synchronized void accepted(int queue, int tag) {
        accepted.set(tag);
        if (!ran.get(tag)) { // the body may run before its submitter gets here
            pending.computeIfAbsent(queue, q -> new HashSet<>()).add(tag);
        }
        perQueue.computeIfAbsent(queue, q -> new long[2])[0]++;
    }

    public synchronized void ran(int queue, int tag) {
        if (ran.get(tag)) {
            ranTwice.add((long) tag);
        }
        ran.set(tag);
        Set<Integer> waiting = pending.get(queue);
        if (waiting != null) {
            waiting.remove(tag);
        }
        perQueue.computeIfAbsent(queue, q -> new long[2])[1]++;
    }

    /**
     * A faulting launch is about to be submitted to {@code queue}: the launches it accepted so far
     * are ahead of it and must still run (the queue releases in order and fails only when it
     * releases the faulting one), unless a close with DROP discarded them. Only the first call
     * per queue counts: it comes before any faulting launch.
     */
    public synchronized void faultComing(int queue) {
        beforeFault.computeIfAbsent(queue, q -> pending.getOrDefault(q, Set.of()).stream().mapToInt(Integer::intValue).toArray());
    }

    /** Launches of {@code queue} accepted before its first faulting launch that never ran. */
    public synchronized long lostBeforeFault(int queue) {
        return java.util.Arrays.stream(beforeFault.getOrDefault(queue, new int[0])).filter(tag -> !ran.get(tag)).count();
    }

    /** {@code queue} failed: from its failure on it runs nothing more. */
    public synchronized void failed(int queue) {
        failedQueues.add(queue);
    }

    /** Launches of {@code queue} accepted and not run (exact when nothing ran twice or unaccepted). */
    public synchronized long missing(int queue) {
        long[] counts = perQueue.getOrDefault(queue, new long[2]);
        return counts[0] - counts[1];
    }

    /**
     * What the ledger shows once everything has finished. {@code notRun} counts accepted launches
     * that never ran: legitimate only as far as their queues count dropped commands (close with
     * DROP, or a failure), which the caller checks per queue with {@link #missing};
     * {@code droppedByFailure} is the part of them on queues that {@linkplain #failed failed}
     * (dropped by the failure, or by a close with DROP before it). Nothing may run twice or
     * unaccepted, failed queues included.
     */
    public record Balance(long accepted, long ran, long notRun, long droppedByFailure, long ranTwice, long ranUnaccepted,
                          List<Long> examples) {
    }

    public synchronized Balance balance() {
        BitSet lost = (BitSet) accepted.clone();
        lost.andNot(ran);
        BitSet unaccepted = (BitSet) ran.clone();
        unaccepted.andNot(accepted);
        List<Long> examples = new ArrayList<>();
        lost.stream().limit(5).forEach(t -> examples.add((long) t));
        unaccepted.stream().limit(5).forEach(t -> examples.add(-(long) t));
        examples.addAll(ranTwice.subList(0, Math.min(5, ranTwice.size())));
        long droppedByFailure = failedQueues.stream().mapToLong(this::missing).sum();
        return new Balance(accepted.cardinality(), ran.cardinality(), lost.cardinality(), droppedByFailure, ranTwice.size(),
                unaccepted.cardinality(), examples);
    }
}
