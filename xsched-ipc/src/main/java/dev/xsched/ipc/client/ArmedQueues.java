package dev.xsched.ipc.client;

import dev.xsched.core.XQueue;
import dev.xsched.core.coordination.StopWord;
import dev.xsched.core.coordination.StopWordFile;
import dev.xsched.ipc.protocol.Message;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The side that is stopped in the cross-process stop, for one {@link ServerDecisionSource}: a stop
 * word for each of its queues that can wait on host memory ({@link XQueue#armRemoteStop}), from one
 * {@link StopWordFile} made at the first such queue; each armed when the queue is registered with
 * the server, all disarmed while the server is away and armed again once it is back; and a check
 * that no store holds a queue for long without a decision about it following.
 *
 * <p>A queue that another process's store stopped holds its releases until a decision about it
 * arrives, which the server sends for every store it hears of. A store can reach a queue unheard
 * of, where the server changed a list while the storing process still acted on the old one; the
 * queue would then wait until its state next changed. So once per period of counters
 * ({@link #staleHolds}) a queue whose word moved and stayed unanswered through a whole period gets
 * the server's latest decision applied again, as a fresh one.
 *
 * <p>Threads: the scheduling thread registers and forgets queues, one round at a time; the I/O
 * thread connects, loses, notes decisions and checks; any thread closes. Arming makes device calls
 * (a stream and an event for the queue, the file's registration for its device on first use), so
 * no lock is held across it: a registration and a loss each do their part, then look at the
 * other's (the epoch, the entries), so that a queue armed while the connection was being lost is
 * disarmed by one of them.
 */
final class ArmedQueues {
    private static final System.Logger LOG = System.getLogger(ArmedQueues.class.getName());

    /** One armed queue. */
    private static final class Armed {
        final XQueue queue;
        final StopWord word;
        /** Disarmed while the server is away; written by the I/O thread and by a registration. */
        volatile boolean disarmed;
        /** The word's value read just before the latest decision about the queue was applied (I/O thread only). */
        int settled;
        /** The word had moved past {@link #settled} at the previous check (I/O thread only). */
        boolean suspect;

        Armed(XQueue queue, StopWord word) {
            this.queue = queue;
            this.word = word;
            this.settled = word.value();
        }
    }

    private final boolean enabled;
    private final LongConsumer failOpen;
    /** {@link XQueue#disarmRemoteStop}, or a test's stand-in that fails as a GPU in a sticky fault does. */
    private final Consumer<XQueue> disarmer;
    private final Map<Long, Armed> armed = new ConcurrentHashMap<>();
    /** Queues that cannot be armed (their platform, or a failure), not tried again; scheduling thread only. */
    private final Set<Long> unarmable = new HashSet<>();
    /** The connection whose registrations may arm, or -1 while there is none. */
    private volatile long connectedEpoch = -1;
    private final Object fileLock = new Object();
    /** Guarded by {@link #fileLock}. */
    private StopWordFile file;
    /** Guarded by {@link #fileLock}: the file could not be made, or the source closed. */
    private boolean noFile;
    /** One warning per source about a queue that could not be armed; scheduling thread only. */
    private boolean warnedArming;
    /** One line per source about a stale hold; I/O thread only. */
    private boolean warnedStale;

    /**
     * Nothing armed yet.
     *
     * @param enabled  whether the process takes part ({@link ClientOptions#remoteStop()})
     * @param failOpen applies a fresh "run" to a queue: for one armed while the connection was lost,
     *                 whose own release of its wait then holds it
     */
    ArmedQueues(boolean enabled, LongConsumer failOpen) {
        this(enabled, failOpen, XQueue::disarmRemoteStop);
    }

    /**
     * As {@link #ArmedQueues(boolean, LongConsumer)}, disarming through {@code disarmer} (for tests).
     *
     * @param enabled  whether the process takes part
     * @param failOpen applies a fresh "run" to a queue
     * @param disarmer lets a queue's pending wait go ({@link XQueue#disarmRemoteStop})
     */
    ArmedQueues(boolean enabled, LongConsumer failOpen, Consumer<XQueue> disarmer) {
        this.enabled = enabled;
        this.failOpen = Objects.requireNonNull(failOpen, "failOpen");
        this.disarmer = Objects.requireNonNull(disarmer, "disarmer");
    }

    /**
     * A connection is up (I/O thread, before the round that registers its queues).
     *
     * @param epoch the connection's epoch
     */
    void connected(long epoch) {
        connectedEpoch = epoch;
    }

    /**
     * Queue {@code id} was registered on the connection of {@code epoch} (scheduling thread): arms it
     * the first time, arms it again after a loss.
     *
     * @param id    the queue's id
     * @param queue the queue
     * @param epoch the connection its registration went to
     * @return the message that tells the server its word, or null if it has none
     */
    Message.StopWordSet register(long id, XQueue queue, long epoch) {
        if (!enabled || epoch != connectedEpoch) {
            return null;
        }
        Armed a = armed.get(id);
        if (a == null) {
            if (unarmable.contains(id)) {
                return null;
            }
            a = arm(queue);
            if (a == null) {
                unarmable.add(id);
                return null;
            }
            armed.put(id, a);
        } else if (a.disarmed) {
            try {
                a.queue.rearmRemoteStop();
            } catch (RuntimeException e) { // a failed device: without a wait armed, nothing holds it either
                warnArming(queue, e);
                return null; // still disarmed: the next connection tries again
            }
            a.disarmed = false;
        }
        if (epoch != connectedEpoch) {
            // Lost meanwhile: lost() may have looked before this queue was armed (again). A raise
            // that fired before the disarm holds it until a fresh decision, which the fail-open is.
            disarm(a);
            failOpen.accept(id);
            return null;
        }
        return new Message.StopWordSet(id, a.word.path().toString(), a.word.offset());
    }

    private Armed arm(XQueue queue) {
        if (!queue.stream().supportsMemoryWait() || !queue.device().supportsHostRegistration()) {
            return null; // AMD: its streams cannot wait on host memory; the server's decisions alone stop it
        }
        StopWordFile words = file();
        if (words == null) {
            return null;
        }
        StopWord word;
        try {
            word = words.allocate();
        } catch (IllegalStateException e) { // every word taken, or the source closing
            warnArming(queue, e);
            return null;
        }
        try {
            queue.armRemoteStop(word);
        } catch (RuntimeException e) {
            word.close();
            warnArming(queue, e);
            return null;
        }
        return new Armed(queue, word);
    }

    private void warnArming(XQueue queue, RuntimeException e) {
        if (!warnedArming) {
            warnedArming = true;
            LOG.log(System.Logger.Level.WARNING, "XQueue " + queue.name() + " cannot be stopped by other processes' stores ("
                    + e + "): the server's decisions alone stop it (logged once)");
        }
    }

    /** This source's file, made on first use; null if it cannot be made or the source closed. */
    private StopWordFile file() {
        synchronized (fileLock) {
            if (file == null && !noFile) {
                try {
                    file = StopWordFiles.create();
                } catch (RuntimeException e) {
                    noFile = true;
                    LOG.log(System.Logger.Level.WARNING, "no stop-word file for this process (" + e + "): its queues are"
                            + " stopped by the server's decisions alone");
                }
            }
            return noFile ? null : file;
        }
    }

    /**
     * The server is gone (I/O thread): no store stops a queue of this process until it is back.
     * Each queue is disarmed on its own: one whose disarm fails (a GPU in a sticky fault) is
     * logged and counted as disarmed (the next connection tries to arm it again), and the others
     * are disarmed all the same. Never throws.
     *
     * @return how many queues it disarmed or tried to: where not 0, a raise may have fired before
     *         a disarm, and the caller applies a fresh "run" again
     */
    int lost() {
        connectedEpoch = -1;
        int tried = 0;
        for (Armed a : armed.values()) {
            if (!a.disarmed) {
                tried++;
                disarm(a);
            }
        }
        return tried;
    }

    /** Lets the queue's pending wait go without a raise; a failure is logged, and the queue counts as disarmed. */
    private void disarm(Armed a) {
        try {
            disarmer.accept(a.queue);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "XQueue " + a.queue.name() + " could not be disarmed (" + e
                    + "); it runs all the same, and no other process stores into its word while the server is away", e);
        } finally {
            a.disarmed = true;
        }
    }

    /**
     * Queue {@code id} closed (scheduling thread); it closed its word itself.
     *
     * @param id the queue's id
     */
    void forget(long id) {
        armed.remove(id);
        unarmable.remove(id);
    }

    /**
     * A decision about queue {@code id} is about to be applied (I/O thread): what the word holds now
     * is answered by it.
     *
     * @param id the queue's id
     */
    void beforeDecision(long id) {
        Armed a = armed.get(id);
        if (a != null) {
            a.settled = a.word.value(); // read before the decision applies: a later store stays unanswered
            a.suspect = false;
        }
    }

    /**
     * Once per period of counters (I/O thread, while connected): the queues whose word moved with no
     * decision about them since, at this check and the one before.
     *
     * @param latest the latest decision that arrived about each queue on this connection
     * @return queue id to that decision, to apply again as a fresh one (it ends the hold)
     */
    Map<Long, Boolean> staleHolds(Map<Long, Boolean> latest) {
        Map<Long, Boolean> again = new HashMap<>();
        armed.forEach((id, a) -> {
            if (a.disarmed) {
                return;
            }
            int value = a.word.value();
            Boolean decision = latest.get(id);
            // Also a queue that holds a raise though its word did not move since the decision: the
            // decision reached it while its flag was coming down, before it noticed the raise.
            boolean held = value != a.settled || a.queue.isHeldByRemoteStop();
            if (!held || decision == null) {
                // Unmoved; or no decision on this connection yet, and its first is on the way.
                a.suspect = false;
            } else if (a.suspect) {
                a.settled = value;
                a.suspect = false;
                again.put(id, decision);
            } else {
                a.suspect = true;
            }
        });
        if (!again.isEmpty() && !warnedStale) {
            warnedStale = true;
            LOG.log(System.Logger.Level.INFO, "a store held queue(s) " + again.keySet() + " for a period with no decision"
                    + " following (a raise list changed while another process acted on the old one): the server's"
                    + " latest decision applies again (logged once)");
        }
        return again;
    }

    /**
     * The source closes: the file goes once every queue gave its word back (they close after their
     * source, and their streams wait on the file until then).
     */
    void close() {
        synchronized (fileLock) {
            noFile = true;
            if (file != null) {
                file.closeWhenFree();
            }
        }
    }

    /**
     * The stop word of queue {@code id}, for tests.
     *
     * @param id the queue's id
     * @return its word, or null if it is not armed
     */
    StopWord wordOf(long id) {
        Armed a = armed.get(id);
        return a == null ? null : a.word;
    }
}
