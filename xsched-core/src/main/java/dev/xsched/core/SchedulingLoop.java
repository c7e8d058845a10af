package dev.xsched.core;

import dev.xsched.core.coordination.DecisionSource;
import dev.xsched.core.coordination.PolicyRunner;
import dev.xsched.core.coordination.ScheduledQueue;
import dev.xsched.core.internal.QueueCore;
import dev.xsched.core.internal.QueueListener;
import dev.xsched.core.internal.jfr.DecisionRound;
import dev.xsched.core.internal.jfr.QueueResumed;
import dev.xsched.core.internal.jfr.QueueSuspended;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.QueueStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * What a scheduler's scheduling thread does (in manual mode, the caller of
 * {@link XScheduler#pump()}): it takes the events that queues and callers post, lets the timers
 * the policy asked for fall due, makes a decision round and applies it by suspending and resuming
 * queues.
 *
 * <p>Threads: {@link #post}, the {@link #listener()} and {@link #applyArrived} are called from any
 * thread. A step (the events taken, the timers, the decision round and its application) runs under
 * {@link #rounds}, which guards the timers' changes and the policy runner's calls: usually on the one
 * thread that steps, and with {@code decideOnSubmit} also on a thread whose submission turned a
 * queue ready (see {@link #decideOnSubmittingThread}). A round applied so and decisions a
 * {@link DecisionSource} applies on its own thread are ordered by the monitor of {@link #applying}.
 */
final class SchedulingLoop {
    private static final System.Logger LOG = System.getLogger(XScheduler.class.getName());

    private final String schedulerName;
    private final SchedulerClock clock;
    /** The scheduler's queues by id; thread-safe, shared with the scheduler. */
    private final Map<Long, QueueEntry> entries;
    private final PolicyRunner runner;
    /** Where decisions come from instead of the local policy (a scheduler server), or null. */
    private final DecisionSource decisionSource;
    /** How long the scheduling thread polls for an event before it blocks, in nanoseconds of the host's clock. */
    private final long spinNanos;
    /** Whether a submission that turns a queue ready runs the decision round on its own thread when it can. */
    private final boolean decideOnSubmit;
    /** Held for a step; guards the timers' changes and the runner's calls. */
    private final ReentrantLock rounds = new ReentrantLock();

    /** Thread-safe: posted from any thread, taken by the stepping one. */
    private final LinkedBlockingQueue<SchedulerEvent> events = new LinkedBlockingQueue<>();
    /** When the policy asked to decide again, and what the scheduling thread waits for. */
    private final PolicyTimers timers = new PolicyTimers();
    /** Orders the application of a round against decisions applied at once by a {@link DecisionSource}. */
    private final Object applying = new Object();
    /**
     * Decisions applied on arrival so far ({@link #applyArrived}); guarded by {@link #applying}. A
     * round that asked its decision source before an arrival holds an older answer than the one
     * applied: it must not apply it (the arrival asked for a new round, which reads the new one).
     */
    private long arrivalsApplied;

    /** Posts what a queue tells; called from any thread, never blocks. */
    private final QueueListener listener = new QueueListener() {
        @Override
        public void onReady(QueueCore queue, long now) {
            SchedulerEvent.Ready ready = new SchedulerEvent.Ready(queue.id(), now);
            if (!decideOnSubmit || !decideOnSubmittingThread(ready)) {
                post(ready);
            }
        }

        @Override
        public void onIdle(QueueCore queue, long now) {
            post(new SchedulerEvent.Idle(queue.id(), now));
        }

        @Override
        public void onBlocked(QueueCore queue, QueueCore producer) {
            post(new SchedulerEvent.Changed(queue.id()));
        }

        @Override
        public void onUnblocked(QueueCore queue) {
            post(new SchedulerEvent.Changed(queue.id()));
        }

        @Override
        public void onSuspendedTailDrained(QueueCore queue) {
            post(new SchedulerEvent.Changed(queue.id()));
        }

        @Override
        public void onHeldByRemoteStop(QueueCore queue) {
            // A local policy's round is the fresh decision the queue waits for; a decision
            // source's answer comes from its server, which the store's process asked for.
            if (decisionSource == null) {
                post(new SchedulerEvent.Changed(queue.id()));
            }
        }
    };

    SchedulingLoop(String schedulerName, SchedulerClock clock, Map<Long, QueueEntry> entries, PolicyRunner runner,
                   DecisionSource decisionSource, Duration spin, boolean decideOnSubmit) {
        this.spinNanos = spin.toNanos();
        this.decideOnSubmit = decideOnSubmit;
        this.schedulerName = schedulerName;
        this.clock = clock;
        this.entries = entries;
        this.runner = runner;
        this.decisionSource = decisionSource;
    }

    /** How the scheduler's queues tell it what happens to them. */
    QueueListener listener() {
        return listener;
    }

    void post(SchedulerEvent event) {
        events.add(event);
    }

    /**
     * Decides on the submitting thread, at once, when a queue turned ready and no step is running:
     * the scheduling thread, blocked between events, would otherwise wake first, and on a virtual
     * machine whose idle CPUs halt that wake-up alone took about 0.1 ms on the H200's host (2026-12-03,
     * docs/results.md), during which a batch queue that the new work should preempt kept the GPU.
     * Called by {@link QueueCore} outside every queue lock, but possibly inside a round of this
     * same thread (a host callback that a resume ran, submitting to another queue): then the
     * event is posted, as when a step runs on another thread, since a nested round would be undone
     * by the outer one's application. Events already queued are taken in the same step (their order
     * does not matter: each only makes the policy decide again, reading every queue's state
     * afresh); one the scheduling thread has taken and not yet handled gets its own step right
     * after. A timer the round adds before the one the scheduling thread waits for wakes it
     * ({@link #wakeIfWaitingTooLong}).
     *
     * <p>Where the scheduling thread spins ({@code eventSpin}), the round also wakes it, so that
     * it spins while the work that turned the queue ready runs: that work's end (the queue's idle,
     * whose round resumes what this one suspended) then finds it polling instead of blocked. A
     * thread blocked since the previous request (50 ms at 20 requests/s) takes far longer to
     * wake on a virtual machine whose idle CPUs halt than one that blocked microseconds before
     * (docs/multiprocess.md, round 37), and until it does the suspended queue waits. The
     * submitting thread pays one wake-up for it, after its round; without a spin it would buy
     * nothing, and none is posted.
     *
     * @return whether the event was handled here; false: it must be posted
     */
    private boolean decideOnSubmittingThread(SchedulerEvent.Ready ready) {
        if (rounds.isHeldByCurrentThread() || !rounds.tryLock()) {
            return false;
        }
        boolean handled = false;
        try {
            stepLocked(ready);
            handled = true;
        } catch (RuntimeException | LinkageError e) {
            // As on the scheduling thread: fail open, and never fail the submission that got here.
            LOG.log(System.Logger.Level.ERROR, "scheduler " + schedulerName + " step failed; continuing", e);
            resumeAll();
            handled = true;
        } finally {
            rounds.unlock();
            if (!handled) {
                post(ready); // an Error on its way out: the scheduling thread still hears of the queue
            } else if (spinNanos > 0) {
                post(new SchedulerEvent.Wake()); // to spin for this work's end (see above)
            } else {
                wakeIfWaitingTooLong();
            }
        }
        return true;
    }

    /**
     * Wakes the scheduling thread if it waits past the earliest timer (a round on another thread
     * added an earlier one); {@link PolicyTimers} says why no wake-up is lost.
     */
    private void wakeIfWaitingTooLong() {
        if (timers.waitsPastNext()) {
            post(new SchedulerEvent.Wake());
        }
    }

    /** The scheduling thread's body: steps as events arrive and timers fall due, while {@code running}. */
    void run(BooleanSupplier running) {
        while (running.getAsBoolean()) {
            try {
                step(nextEvent());
            } catch (InterruptedException e) {
                if (!running.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException | LinkageError e) {
                // Never let the scheduling thread die: a dead scheduler would leave queues suspended forever.
                LOG.log(System.Logger.Level.ERROR, "scheduler " + schedulerName + " step failed; continuing", e);
                resumeAll();
            }
        }
    }

    /**
     * Waits for the next event until the policy's next timer is due: polls for up to the spin,
     * then blocks. The spin is measured on the host's clock (it spends the host's CPU), the
     * timers on the scheduler's, which is why the deadline is taken again after the spin. The
     * deadline waited for is published ({@link PolicyTimers#beginWait}) while waiting, before the
     * spin and again before the wait that follows it.
     *
     * @return the event, or null if a timer fell due first
     */
    private SchedulerEvent nextEvent() throws InterruptedException {
        long deadline = timers.beginWait();
        try {
            if (deadline == Long.MIN_VALUE) {
                return null; // a round elsewhere moved the timer: step, then wait again
            }
            long waitNanos = nanosUntil(deadline);
            if (waitNanos <= 0) {
                return null;
            }
            if (spinNanos > 0) {
                long start = System.nanoTime();
                do {
                    SchedulerEvent event = events.poll();
                    if (event != null) {
                        return event;
                    }
                    Thread.onSpinWait();
                } while (System.nanoTime() - start < spinNanos && !timerDue());
                // Published again, not just read again: a round elsewhere during the spin may have
                // taken the timer published above and published a later one. Still waiting "until"
                // the old deadline, this thread would then block past a timer that a further round
                // adds between the two, and that round, comparing its timer with the old deadline,
                // would not wake it.
                deadline = timers.beginWait();
                if (deadline == Long.MIN_VALUE) {
                    return null;
                }
                waitNanos = nanosUntil(deadline);
                if (waitNanos <= 0) {
                    return null;
                }
            }
            return waitNanos == Long.MAX_VALUE ? events.take() : events.poll(waitNanos, TimeUnit.NANOSECONDS);
        } finally {
            timers.endWait();
        }
    }

    private long nanosUntil(long deadline) {
        return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - clock.nanoTime();
    }

    private boolean timerDue() {
        long next = timers.next();
        return next != Long.MAX_VALUE && next <= clock.nanoTime();
    }

    /**
     * One scheduling step: handles {@code first} (may be null) and the pending events and due
     * timers, then asks the policy if any of them calls for it.
     *
     * @return whether anything happened
     */
    boolean step(SchedulerEvent first) {
        rounds.lock();
        try {
            return stepLocked(first);
        } finally {
            rounds.unlock();
        }
    }

    /** {@link #step} under {@link #rounds}. */
    private boolean stepLocked(SchedulerEvent first) {
        try {
            return handleAndDecide(first);
        } finally {
            timers.publish(); // also after a failed round: a timer it added must still be waited for
        }
    }

    private boolean handleAndDecide(SchedulerEvent first) {
        boolean any = false;
        SchedulerEvent event = first;
        if (event == null) {
            event = events.poll();
        }
        while (event != null) {
            any |= handle(event);
            event = events.poll();
        }
        long now = clock.nanoTime();
        any |= timers.takeDue(now);
        if (any) {
            decide(now);
        }
        return any;
    }

    /** Tells the policy what it needs to know of {@code event}; returns whether the policy must decide again. */
    private boolean handle(SchedulerEvent event) {
        switch (event) {
            case SchedulerEvent.HintArrived h -> {
                if (entries.containsKey(h.queueId())) {
                    runner.hint(h.queueId(), h.hint(), clock.nanoTime());
                }
            }
            case SchedulerEvent.Removed r -> runner.removed(r.queueId());
            case SchedulerEvent.SwitchPolicy s -> {
                Map<Long, List<Hint>> hints = new HashMap<>();
                entries.forEach((id, entry) -> hints.put(id, List.copyOf(entry.hints.values())));
                runner.switchTo(s.policy(), hints, clock.nanoTime());
            }
            case SchedulerEvent.Ready _, SchedulerEvent.Idle _, SchedulerEvent.Changed _ -> {
                // The queue's state is read afresh when the policy decides.
            }
            case SchedulerEvent.Wake _ -> {
                return false;
            }
        }
        return true;
    }

    private void decide(long now) {
        DecisionRound round = DecisionRound.isOn() ? DecisionRound.started() : null;
        List<QueueEntry> current = new ArrayList<>(entries.values());
        current.sort((a, b) -> Long.compare(a.queue.id(), b.queue.id()));
        List<QueueCore.Snapshot> snapshots = new ArrayList<>(current.size());
        Map<Long, Set<Long>> lenders = new HashMap<>();
        for (QueueEntry entry : current) {
            QueueCore.Snapshot snapshot = entry.queue.core().snapshot();
            snapshots.add(snapshot);
            if (snapshot.blockedOn() != null) {
                lenders.computeIfAbsent(snapshot.blockedOn().id(), k -> new HashSet<>()).add(entry.queue.id());
            }
        }
        List<QueueStatus> statuses = new ArrayList<>(current.size());
        for (int i = 0; i < current.size(); i++) {
            QueueEntry entry = current.get(i);
            QueueCore core = entry.queue.core();
            QueueCore.Snapshot snapshot = snapshots.get(i);
            XQueueStats stats = snapshot.stats();
            statuses.add(new QueueStatus(core.id(), core.config().name(), entry.queue.device().index(), snapshot.ready(),
                    snapshot.readySince(), stats.suspended(), stats.buffered(), stats.inFlight(), stats.launched(),
                    entry.hints, lenders.getOrDefault(core.id(), Set.of())));
        }
        Map<Long, Boolean> desired;
        long arrivalsSeen;
        synchronized (applying) {
            arrivalsSeen = arrivalsApplied;
        }
        if (round != null) {
            round.statesRead();
        }
        if (decisionSource != null) {
            List<ScheduledQueue> scheduled = new ArrayList<>(current.size());
            for (int i = 0; i < current.size(); i++) {
                scheduled.add(new ScheduledQueue(current.get(i).queue, statuses.get(i)));
            }
            desired = new LinkedHashMap<>();
            Map<Long, Boolean> answer = decisionSource.decide(now, scheduled);
            statuses.forEach(status -> desired.put(status.id(), Boolean.TRUE.equals(answer.get(status.id()))));
            PolicyRunner.lend(desired, statuses);
        } else {
            PolicyRunner.Outcome outcome = runner.decide(now, statuses);
            desired = outcome.suspended();
            timers.add(outcome.wakeUps());
        }
        if (round != null) {
            round.decided();
        }
        int changed = 0;
        synchronized (applying) {
            if (arrivalsApplied != arrivalsSeen) {
                // A decision arrived (and was applied) after this round asked its source: this
                // round's answer is older. Applying it would undo the newer one until the round the
                // arrival asked for (seen on a 2-core host: a peer suspended while the server had
                // resumed it, so the next suspend changed nothing).
                return;
            }
            for (QueueEntry entry : current) {
                // A source's answer may be the one it had before another process's raise held the
                // queue: only an arrival (applyArrived) ends that hold. A local policy's is fresh.
                if (setSuspended(entry.queue.core(), desired.get(entry.queue.id()), decisionSource == null)) {
                    changed++;
                }
            }
        }
        if (round != null) {
            round.applied(policyName(), current.size(), changed);
        }
    }

    /**
     * Decisions a {@link DecisionSource} applies on its own thread the moment they arrive (see
     * {@link DecisionSource.Scheduling#apply}); never suspends a queue that another queue waits on.
     */
    void applyArrived(Map<Long, Boolean> suspended) {
        synchronized (applying) {
            arrivalsApplied++;
            suspended.forEach((id, suspend) -> {
                QueueEntry entry = entries.get(id);
                if (entry != null && !(suspend && hasWaiters(entry.queue.core()))) {
                    setSuspended(entry.queue.core(), suspend, true);
                }
            });
        }
    }

    private boolean hasWaiters(QueueCore producer) {
        for (QueueEntry entry : entries.values()) {
            if (entry.queue.core().blockedOn() == producer) {
                return true;
            }
        }
        return false;
    }

    /** Applies one queue's decision; whether it was applied (the queue's state differed). */
    private boolean setSuspended(QueueCore core, boolean suspend, boolean fresh) {
        // A running queue that another process's store stopped waits for a fresh decision to go on.
        if (suspend != core.isSuspended() || (fresh && !suspend && core.holdsRemoteRaise())) {
            if (fresh) {
                core.setSuspended(suspend);
            } else {
                core.applyCachedDecision(suspend);
            }
            if (suspend && QueueSuspended.isOn()) {
                QueueSuspended.emit(core.id(), policyName());
            } else if (!suspend && QueueResumed.isOn()) {
                QueueResumed.emit(core.id(), policyName());
            }
            return true;
        }
        return false;
    }

    /** Lets every queue run (a step failed, or the scheduler closes). */
    void resumeAll() {
        for (QueueEntry entry : entries.values()) {
            entry.queue.core().setSuspended(false);
        }
    }

    /** Whether a submission that turns a queue ready runs its round on the submitting thread. */
    boolean decidesOnSubmit() {
        return decideOnSubmit;
    }

    /** The active policy's name; with a decision source, its description. */
    String policyName() {
        return decisionSource != null ? decisionSource.describe() : runner.policy().name();
    }
}
