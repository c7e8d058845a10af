package dev.xsched.ipc.client;

import dev.xsched.core.XQueue;
import dev.xsched.core.coordination.StopWordRaiser;
import dev.xsched.ipc.protocol.Message;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * The side that stops in the cross-process stop, for one {@link ServerDecisionSource}: what each of
 * its queues does when it turns ready ({@link XQueue#onTurningReady}), as the server's
 * {@link Message.RaiseOnReady} lists say: advance the stop words of the other processes' queues
 * that its readiness suspends, before its first command goes to the stream.
 *
 * <p>And how many times each queue did ({@link #turns}): the server answers every store it hears of
 * with a decision about the queues stored to, which they wait for, so each must reach it as a
 * {@code QueueReady}, also where the queue went idle again before the next round saw it ready.
 *
 * <p>Threads: the I/O thread sets and clears the actions; the scheduling thread reads the counts
 * and forgets closed queues; submitting threads run the actions (one store per word; the first into
 * a file maps it); any thread closes.
 */
final class RaiseActions {
    private static final System.Logger LOG = System.getLogger(RaiseActions.class.getName());

    private final boolean enabled;
    private final StopWordRaiser raiser = new StopWordRaiser();
    /** How many times each queue advanced its list, counted from its first list on. */
    private final Map<Long, AtomicLong> turns = new ConcurrentHashMap<>();
    /** Guarded by this: the queues that have an action. */
    private final Map<Long, XQueue> acting = new HashMap<>();
    /** Guarded by this: the identity of each file named so far, to notice one made anew under its name. */
    private final Map<Path, Object> fileKeys = new HashMap<>();
    /** Guarded by this. */
    private boolean warnedPath;
    private volatile boolean closed;

    /**
     * No actions yet.
     *
     * @param enabled whether the process takes part ({@link ClientOptions#remoteStop()}); if not,
     *                every list is ignored
     */
    RaiseActions(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The server's list for queue {@code id} arrived (I/O thread).
     *
     * <p>The queue is looked up here, under this object's lock, not by the caller: a queue that
     * closes is taken out of {@code queues} before its {@link #forget}, so either this runs first
     * and the forget removes what it added, or the lookup finds nothing. Looked up before, a
     * queue closing in between was forgotten first and then given an action and a count that
     * nothing would remove.
     *
     * @param id     the queue's id
     * @param queues the open queues by id (a queue leaves it before its {@link #forget})
     * @param words  the stop words it is to advance on turning ready; empty: none
     */
    synchronized void set(long id, LongFunction<XQueue> queues, List<Message.StopWordRef> words) {
        if (!enabled || closed) {
            return;
        }
        XQueue queue = queues.apply(id);
        if (queue == null) {
            return; // it closed meanwhile
        }
        List<Path> paths = new ArrayList<>(words.size());
        long[] offsets = new long[words.size()];
        for (Message.StopWordRef word : words) {
            Path path = Path.of(word.path());
            if (!StopWordFiles.isStopWordFile(path)) {
                if (!warnedPath) {
                    warnedPath = true;
                    LOG.log(System.Logger.Level.WARNING, "the scheduler server named " + path + " as a stop-word file;"
                            + " only files named xsched-<uid>-<pid>-stop are advanced (logged once)");
                }
                continue;
            }
            forgetIfReplaced(path);
            offsets[paths.size()] = word.offset();
            paths.add(path);
        }
        if (paths.isEmpty()) {
            queue.onTurningReady(null);
            acting.remove(id);
            return;
        }
        AtomicLong count = turns.computeIfAbsent(id, k -> new AtomicLong());
        queue.onTurningReady(new Stores(List.copyOf(paths), Arrays.copyOf(offsets, paths.size()), count));
        acting.put(id, queue);
    }

    /**
     * A file made anew under a name already mapped (a process that got the pid of one that went) is
     * mapped afresh: stores into the old mapping would reach the old, deleted file.
     */
    private void forgetIfReplaced(Path path) {
        Object key;
        try {
            key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return; // gone: a store into it fails, and its queue logs that once
        }
        Object known = key == null ? null : fileKeys.put(path, key);
        if (known != null && !known.equals(key)) {
            raiser.forget(path);
        }
    }

    /**
     * How many times queue {@code id} advanced its list so far (scheduling thread).
     *
     * @param id the queue's id
     * @return the count, 0 for a queue that never had a list
     */
    long turns(long id) {
        AtomicLong count = turns.get(id);
        return count == null ? 0 : count.get();
    }

    /**
     * Whether queue {@code id} has an action now (for tests).
     *
     * @param id the queue's id
     * @return whether it stores into some word on turning ready
     */
    synchronized boolean hasAction(long id) {
        return acting.containsKey(id);
    }

    /** The server is gone (I/O thread): no queue stores anything until it is back and says again. */
    synchronized void clear() {
        acting.values().forEach(q -> q.onTurningReady(null));
        acting.clear();
    }

    /**
     * Queue {@code id} closed (scheduling thread).
     *
     * @param id the queue's id
     */
    synchronized void forget(long id) {
        acting.remove(id);
        turns.remove(id);
    }

    /** The source closes: no queue stores any more, and every file is unmapped. */
    void close() {
        synchronized (this) {
            closed = true;
            clear();
        }
        raiser.close();
    }

    /** One queue's action: a store into each word, then the count. */
    private final class Stores implements Runnable {
        private final List<Path> paths;
        private final long[] offsets;
        private final AtomicLong count;

        Stores(List<Path> paths, long[] offsets, AtomicLong count) {
            this.paths = paths;
            this.offsets = offsets;
            this.count = count;
        }

        @Override
        public void run() {
            RuntimeException failure = null;
            try {
                for (int i = 0; i < offsets.length; i++) {
                    try {
                        raiser.raise(paths.get(i), offsets[i]);
                    } catch (RuntimeException e) { // a file gone with its process: the other words still stop theirs
                        if (failure == null) {
                            failure = e;
                        }
                    }
                }
            } finally {
                // After the stores: the round that reports this turn then sends its QueueReady after them.
                count.incrementAndGet();
            }
            if (failure != null && !closed) { // a closed source's raiser refuses every store, as it should
                throw failure; // the queue logs it once
            }
        }
    }
}
