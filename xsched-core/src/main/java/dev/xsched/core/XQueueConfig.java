package dev.xsched.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link XQueue} releases commands.
 *
 * @param name             a name for logs, JFR and JMX
 * @param threshold        at most this many commands are in flight on the hardware: the bound on how
 *                         much already-released work a suspend has to wait for. With a drain budget
 *                         (the default) the ceiling of a window that moves below it (default
 *                         {@value #DEFAULT_THRESHOLD}); without one, fixed
 * @param batchSize        every this many released commands a sync point (an event) is recorded
 *                         (default {@value #DEFAULT_BATCH_SIZE}, in proportion to the window when it
 *                         moves): how often completion is observed. Each sync point also costs
 *                         the GPU about 2 us between the two kernels around it (H200, 2026-12-03:
 *                         4-5% of back-to-back 5 us kernels at 8, 0.5% at 64; docs/reliability.md)
 * @param cooperativeYield whether a suspend asks the queue's running
 *                         {@linkplain dev.xsched.hip.YieldableKernels yieldable} kernels to stop early
 *                         (default true); they are launched again on resume. Without it they run to
 *                         the end like any kernel. A policy that switches queues often (time slices)
 *                         may turn it off where blocks restart from scratch and would redo work.
 * @param deviceGate       whether every command the queue releases that cannot stop itself (a plain
 *                         kernel, a copy, a memset, {@linkplain dev.xsched.hip.StreamWork stream
 *                         work} such as a library call) goes to the stream behind a wait the device
 *                         performs on the queue's stop flag ({@link dev.xsched.hip.Stream#waitUntilEquals}),
 *                         so that a suspend also holds released commands that have not started:
 *                         the wait for a suspend shrinks to the command running, whatever the
 *                         threshold (default false). Needs cooperative yield (the flag and its
 *                         ordering rules are the same) and a stream that
 *                         {@linkplain dev.xsched.hip.Stream#supportsMemoryWait supports memory waits}.
 *                         Work released behind the gate must not make the driver wait for the whole
 *                         device: held there, that wait would not end until the queue is resumed,
 *                         and other queues' work could not finish to let that happen. A library
 *                         call's first use of a kernel may do so (CUDA loads kernels lazily by
 *                         default; libraries set up workspaces on first use): make each distinct
 *                         library call once while the gate is open, on the queue before anything
 *                         can suspend it or on a plain stream (a gated GEMM job hung on the H200
 *                         when a new shape's first call was gated, most likely for this reason:
 *                         docs/libraries.md).
 * @param waitSpin         how long a thread waiting for this queue's work ({@link XQueue#synchronize},
 *                         an event's wait) polls the sync point that ends its wait before it blocks
 *                         on it (default {@link #DEFAULT_WAIT_SPIN}); also an earlier sync point it
 *                         waits on that covers all the queue's released work (at threshold 1, each
 *                         command's), whose completion lets the waiter release the next commands
 *                         itself without a wake-up while the device idles. Polling keeps a core busy while
 *                         it lasts; blocking costs a wake-up when the work completes, 5-15 us on an
 *                         idle host and tenths of a millisecond on a busy one. A latency-critical
 *                         queue whose requests run longer than the default may poll for a whole
 *                         request, as a stream's synchronize does under the CUDA driver's default
 *                         scheduling (which spins while the process has fewer contexts than cores).
 * @param idlePoll         how often the queue's completion thread, finding nothing to do within
 *                         {@link #IDLE_POLL_WINDOW} of its last work, looks for new work instead of
 *                         sleeping until the release that starts the next burst wakes it (default
 *                         {@link Duration#ZERO}: it sleeps; else from {@link #MIN_IDLE_POLL} to the
 *                         window). Waking it is a cost on the submitting thread, before its next
 *                         command: about half of a 38-51 us submission on a 2-vCPU virtual machine
 *                         (a virtual CPU woken from halt; {@code PreemptingSubmitBenchmark}). Polling
 *                         moves that cost to the completion thread, at one timed wake-up per period
 *                         while the window lasts; the sync point of a burst with no waiter comes at
 *                         most a period later. Measure before turning it on: on an H200's 16-core
 *                         host the first call of the seed scenario's online request took as long
 *                         with a 1 ms poll as without (docs/results.md, round 40), the wake-up
 *                         being cheap where idle cores are plenty. A waiter that records its own
 *                         sync point still wakes the thread, by then with the burst on the device. For a latency-critical queue
 *                         whose requests come more often than the window; no effect in manual mode
 *                         (no completion thread).
 * @param lockSpin         how long a thread that finds the queue's state held by another spins for it
 *                         before it parks (default {@link #DEFAULT_LOCK_SPIN}). The sections under
 *                         that lock are a few field updates, but its holder may be a thread that
 *                         has just woken (the scheduling thread reading the queue for a decision
 *                         right after the queue's first command made it ready, its completion
 *                         thread back from a wait), whose first section can outlast a short spin;
 *                         the submitter then parks, and waking it again costs 0.1-0.4 ms on a
 *                         virtualised GPU host (round 55, docs/results.md). A latency-critical
 *                         queue may spin longer, at the price of a busy core while it spins.
 * @param drainBudget      how long the queue's released work may take the device to drain (default
 *                         {@link #DEFAULT_DRAIN_BUDGET} in {@link #defaults}; {@link Duration#ZERO},
 *                         the constructors' value, fixes the threshold and batch size as given).
 *                         Every completed sync point tells how long the work released up to it
 *                         took to drain (from its record to its completion being seen), and the
 *                         queue keeps that near this budget by moving its in-flight bound between 2
 *                         (1 at a threshold of 1) and {@code threshold}, the batch size in the same
 *                         proportion as configured (at least 1), starting from
 *                         {@link #ADAPTIVE_START} commands. What a suspend waits for with kernels
 *                         that cannot yield is then about the budget rather than a number of
 *                         commands: short kernels get wide windows and few sync points (each costs
 *                         the GPU about 2 us between the kernels around it), long kernels few in
 *                         flight. A queue suspended or sharing the device sees its work drain more
 *                         slowly and narrows its window, which is the safe direction.
 */
public record XQueueConfig(String name, int threshold, int batchSize, boolean cooperativeYield, boolean deviceGate,
                           Duration waitSpin, Duration idlePoll, Duration lockSpin, Duration drainBudget) {
    /**
     * The default window's ceiling: 64 commands in flight. With {@link #DEFAULT_BATCH_SIZE} and the
     * {@link #DEFAULT_DRAIN_BUDGET}, the window at which back-to-back 5 us kernels ran within 1% of a
     * plain stream's time on an H100 (1.002-1.004x, where XSched's fixed 16/8 ran 1.05-1.07x; round
     * 57, docs/reliability.md), while the budget narrows it for long kernels.
     */
    public static final int DEFAULT_THRESHOLD = 64;
    /** Released commands per sync point in the default window at its ceiling: 32, half of it. */
    public static final int DEFAULT_BATCH_SIZE = 32;
    /**
     * How long the default window's released work may take to drain: 500 us. A sync point needs
     * about 35 short kernels between it and the next for its 2 us gap on the GPU to cost under 1%,
     * about 450 us of 5 us kernels at two batches in flight; a suspend waits up to about this long
     * for released kernels that cannot yield (XSched's fixed 16/8: 80 us of 5 us kernels, 320 ms of
     * 20 ms ones).
     */
    public static final Duration DEFAULT_DRAIN_BUDGET = Duration.ofNanos(500_000);
    /** XSched's fixed threshold (its default), where an adaptive window starts. */
    public static final int XSCHED_THRESHOLD = 16;
    /** XSched's fixed batch size (its default). */
    public static final int XSCHED_BATCH_SIZE = 8;
    /**
     * How long a waiter polls before blocking unless configured: 100 us. Long enough for a short
     * kernel's round trip to end without a wake-up (20 us was not, for a 20 us kernel on the H200),
     * short enough that a long wait does not keep a core busy.
     */
    public static final Duration DEFAULT_WAIT_SPIN = Duration.ofNanos(100_000);
    /**
     * How long after its last work the completion thread of a queue with an {@code idlePoll} keeps
     * polling: 250 ms, five periods of an online service at 20 requests a second, after which an
     * idle queue's thread sleeps until woken and costs nothing.
     */
    public static final Duration IDLE_POLL_WINDOW = Duration.ofMillis(250);
    /** The shortest idle poll: shorter, the thread would all but spin for the whole window. */
    public static final Duration MIN_IDLE_POLL = Duration.ofNanos(10_000);
    /** How long a thread spins for the queue's state lock before it parks unless configured: 2 us. */
    public static final Duration DEFAULT_LOCK_SPIN = Duration.ofNanos(2_000);
    /** The longest lock spin: 10 ms, as every other spin of the library ({@link SpinSetting#MAX}). */
    public static final Duration MAX_LOCK_SPIN = SpinSetting.MAX;
    /** The longest drain budget: 10 s, so that a mistyped unit fails instead of never narrowing. */
    public static final Duration MAX_DRAIN_BUDGET = Duration.ofSeconds(10);
    /** Where an adaptive window starts (at most the threshold): XSched's fixed default. */
    public static final int ADAPTIVE_START = XSCHED_THRESHOLD;

    /**
     * Checks the values.
     *
     * @param name             a name for logs, JFR and JMX
     * @param threshold        commands in flight at most, &gt;= 1
     * @param batchSize        released commands per sync point, in [1, threshold]
     * @param cooperativeYield whether a suspend stops running yieldable kernels early
     * @param deviceGate       whether released commands that cannot stop themselves wait on the device
     *                         behind the stop flag
     * @param waitSpin         how long a waiter polls before blocking, &gt;= 0
     * @param idlePoll         how often an idle completion thread looks for work within the window:
     *                         0 (it sleeps until woken), or from {@link #MIN_IDLE_POLL} to
     *                         {@link #IDLE_POLL_WINDOW}
     * @param lockSpin         how long a thread spins for the queue's state lock before it parks,
     *                         from 0 to {@link #MAX_LOCK_SPIN}
     * @param drainBudget      0 (a fixed window), or how long the released work may take to drain,
     *                         up to {@link #MAX_DRAIN_BUDGET}
     * @throws IllegalArgumentException if threshold, batch size, wait spin, idle poll, lock spin or
     *                                  drain budget is out of range, or the device gate is asked
     *                                  for without cooperative yield
     */
    public XQueueConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(drainBudget, "drainBudget");
        if (drainBudget.isNegative() || drainBudget.compareTo(MAX_DRAIN_BUDGET) > 0) {
            throw new IllegalArgumentException("drain budget must be from 0 to " + MAX_DRAIN_BUDGET + ", got " + drainBudget);
        }
        Objects.requireNonNull(waitSpin, "waitSpin");
        Objects.requireNonNull(idlePoll, "idlePoll");
        Objects.requireNonNull(lockSpin, "lockSpin");
        if (lockSpin.isNegative() || lockSpin.compareTo(MAX_LOCK_SPIN) > 0) {
            throw new IllegalArgumentException("lock spin must be from 0 to " + MAX_LOCK_SPIN + ", got " + lockSpin);
        }
        if (waitSpin.isNegative()) {
            throw new IllegalArgumentException("wait spin must be >= 0, got " + waitSpin);
        }
        if (!idlePoll.isZero() && (idlePoll.compareTo(MIN_IDLE_POLL) < 0 || idlePoll.compareTo(IDLE_POLL_WINDOW) > 0)) {
            throw new IllegalArgumentException("idle poll must be 0 or from " + MIN_IDLE_POLL + " to " + IDLE_POLL_WINDOW
                    + ", got " + idlePoll);
        }
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be >= 1, got " + threshold);
        }
        if (batchSize < 1 || batchSize > threshold) {
            throw new IllegalArgumentException("batch size must be in [1, threshold=" + threshold + "], got " + batchSize);
        }
        if (deviceGate && !cooperativeYield) {
            // The gate relies on a rule of cooperative yield: no plain command is released behind a
            // yieldable launch in flight. Without it, a resume could open a gate ahead of a stopped
            // launch that has to run again first.
            throw new IllegalArgumentException("the device gate needs cooperative yield on");
        }
    }

    /**
     * A configuration with a fixed window (no drain budget).
     *
     * @param name             a name for logs, JFR and JMX
     * @param threshold        commands in flight at most, &gt;= 1
     * @param batchSize        released commands per sync point, in [1, threshold]
     * @param cooperativeYield whether a suspend stops running yieldable kernels early
     * @param deviceGate       whether released commands that cannot stop themselves wait on the device
     *                         behind the stop flag
     * @param waitSpin         how long a waiter polls before blocking, &gt;= 0
     * @param idlePoll         how often an idle completion thread looks for work within the window
     * @param lockSpin         how long a thread spins for the queue's state lock before it parks
     * @throws IllegalArgumentException as the canonical constructor
     */
    public XQueueConfig(String name, int threshold, int batchSize, boolean cooperativeYield, boolean deviceGate,
                        Duration waitSpin, Duration idlePoll, Duration lockSpin) {
        this(name, threshold, batchSize, cooperativeYield, deviceGate, waitSpin, idlePoll, lockSpin, Duration.ZERO);
    }

    /**
     * A configuration whose threads spin {@link #DEFAULT_LOCK_SPIN} for the queue's state lock.
     *
     * @param name             a name for logs, JFR and JMX
     * @param threshold        commands in flight at most, &gt;= 1
     * @param batchSize        released commands per sync point, in [1, threshold]
     * @param cooperativeYield whether a suspend stops running yieldable kernels early
     * @param deviceGate       whether released commands that cannot stop themselves wait on the device
     *                         behind the stop flag
     * @param waitSpin         how long a waiter polls before blocking, &gt;= 0
     * @param idlePoll         how often an idle completion thread looks for work within the window
     * @throws IllegalArgumentException as the canonical constructor
     */
    public XQueueConfig(String name, int threshold, int batchSize, boolean cooperativeYield, boolean deviceGate,
                        Duration waitSpin, Duration idlePoll) {
        this(name, threshold, batchSize, cooperativeYield, deviceGate, waitSpin, idlePoll, DEFAULT_LOCK_SPIN);
    }

    /**
     * A configuration whose completion thread sleeps when idle (no {@code idlePoll}).
     *
     * @param name             a name for logs, JFR and JMX
     * @param threshold        commands in flight at most, &gt;= 1
     * @param batchSize        released commands per sync point, in [1, threshold]
     * @param cooperativeYield whether a suspend stops running yieldable kernels early
     * @param deviceGate       whether released commands that cannot stop themselves wait on the device
     *                         behind the stop flag
     * @param waitSpin         how long a waiter polls before blocking, &gt;= 0
     * @throws IllegalArgumentException as the canonical constructor
     */
    public XQueueConfig(String name, int threshold, int batchSize, boolean cooperativeYield, boolean deviceGate,
                        Duration waitSpin) {
        this(name, threshold, batchSize, cooperativeYield, deviceGate, waitSpin, Duration.ZERO);
    }

    /**
     * A configuration that waits as {@link #DEFAULT_WAIT_SPIN} says.
     *
     * @param name             a name for logs, JFR and JMX
     * @param threshold        commands in flight at most, &gt;= 1
     * @param batchSize        released commands per sync point, in [1, threshold]
     * @param cooperativeYield whether a suspend stops running yieldable kernels early
     * @param deviceGate       whether released commands that cannot stop themselves wait on the device
     *                         behind the stop flag
     * @throws IllegalArgumentException if threshold or batch size is out of range, or the device
     *                                  gate is asked for without cooperative yield
     */
    public XQueueConfig(String name, int threshold, int batchSize, boolean cooperativeYield, boolean deviceGate) {
        this(name, threshold, batchSize, cooperativeYield, deviceGate, DEFAULT_WAIT_SPIN);
    }

    /**
     * A configuration without the device gate.
     *
     * @param name             a name for logs, JFR and JMX
     * @param threshold        commands in flight at most, &gt;= 1
     * @param batchSize        released commands per sync point, in [1, threshold]
     * @param cooperativeYield whether a suspend stops running yieldable kernels early
     * @throws IllegalArgumentException if threshold or batch size is out of range
     */
    public XQueueConfig(String name, int threshold, int batchSize, boolean cooperativeYield) {
        this(name, threshold, batchSize, cooperativeYield, false);
    }

    /**
     * A configuration with cooperative yield on.
     *
     * @param name      a name for logs, JFR and JMX
     * @param threshold commands in flight at most, &gt;= 1
     * @param batchSize released commands per sync point, in [1, threshold]
     * @throws IllegalArgumentException if threshold or batch size is out of range
     */
    public XQueueConfig(String name, int threshold, int batchSize) {
        this(name, threshold, batchSize, true);
    }

    /**
     * A window adapting to a drain budget of {@link #DEFAULT_DRAIN_BUDGET} below a threshold of
     * {@value #DEFAULT_THRESHOLD} and a batch size of {@value #DEFAULT_BATCH_SIZE}, cooperative
     * yield on. A copy's {@link #withThreshold} and {@link #withBatchSize} move the ceiling; add
     * {@code withDrainBudget(Duration.ZERO)} for a fixed window (a latency-critical queue that wants
     * one sync point per request, say).
     *
     * @param name a name for logs, JFR and JMX
     * @return the default configuration under that name
     */
    public static XQueueConfig defaults(String name) {
        return new XQueueConfig(name, DEFAULT_THRESHOLD, DEFAULT_BATCH_SIZE).withDrainBudget(DEFAULT_DRAIN_BUDGET);
    }

    /**
     * A copy with another threshold; the batch size is lowered to it if it was larger. A lower
     * threshold shortens how long a suspend waits for this queue's released work, at the cost of
     * throughput when commands are short (the hardware queue runs dry between releases).
     *
     * @param threshold commands in flight at most, &gt;= 1
     * @return the new configuration
     * @throws IllegalArgumentException if {@code threshold < 1}
     */
    public XQueueConfig withThreshold(int threshold) {
        return new XQueueConfig(name, threshold, Math.min(batchSize, threshold), cooperativeYield, deviceGate, waitSpin,
                idlePoll, lockSpin, drainBudget);
    }

    /**
     * A copy with another batch size. Smaller batches notice completions sooner (more releases,
     * earlier idleness) at the cost of one recorded event per batch.
     *
     * @param batchSize released commands per sync point, in [1, threshold]
     * @return the new configuration
     * @throws IllegalArgumentException if it is out of range
     */
    public XQueueConfig withBatchSize(int batchSize) {
        return new XQueueConfig(name, threshold, batchSize, cooperativeYield, deviceGate, waitSpin, idlePoll, lockSpin, drainBudget);
    }

    /**
     * A copy with cooperative yield on or off.
     *
     * @param cooperativeYield whether a suspend stops running yieldable kernels early
     * @return the new configuration
     * @throws IllegalArgumentException if it is turned off while the device gate is on
     */
    public XQueueConfig withCooperativeYield(boolean cooperativeYield) {
        return new XQueueConfig(name, threshold, batchSize, cooperativeYield, deviceGate, waitSpin, idlePoll, lockSpin, drainBudget);
    }

    /**
     * A copy with the device gate on or off (see {@link XQueueConfig}).
     *
     * @param deviceGate whether released commands that cannot stop themselves wait on the device
     *                   behind the stop flag
     * @return the new configuration
     * @throws IllegalArgumentException if the gate is asked for without cooperative yield
     */
    public XQueueConfig withDeviceGate(boolean deviceGate) {
        return new XQueueConfig(name, threshold, batchSize, cooperativeYield, deviceGate, waitSpin, idlePoll, lockSpin, drainBudget);
    }

    /**
     * A copy whose waiters poll for {@code waitSpin} before blocking (see {@link XQueueConfig}).
     *
     * @param waitSpin how long a waiter polls the sync point that ends its wait, &gt;= 0
     * @return the new configuration
     * @throws IllegalArgumentException if it is negative
     */
    public XQueueConfig withWaitSpin(Duration waitSpin) {
        return new XQueueConfig(name, threshold, batchSize, cooperativeYield, deviceGate, waitSpin, idlePoll, lockSpin, drainBudget);
    }

    /**
     * A copy whose completion thread, idle within {@link #IDLE_POLL_WINDOW} of its last work,
     * looks for new work every {@code idlePoll} instead of sleeping until woken (see
     * {@link XQueueConfig}).
     *
     * @param idlePoll the period, from {@link #MIN_IDLE_POLL} to {@link #IDLE_POLL_WINDOW};
     *                 {@link Duration#ZERO}: it sleeps until woken
     * @return the new configuration
     * @throws IllegalArgumentException if it is out of that range
     */
    public XQueueConfig withIdlePoll(Duration idlePoll) {
        return new XQueueConfig(name, threshold, batchSize, cooperativeYield, deviceGate, waitSpin, idlePoll, lockSpin, drainBudget);
    }

    /**
     * A copy whose threads spin for up to {@code lockSpin} for the queue's state lock before they
     * park (see {@link XQueueConfig}).
     *
     * @param lockSpin from 0 to {@link #MAX_LOCK_SPIN}
     * @return the new configuration
     * @throws IllegalArgumentException if it is out of that range
     */
    public XQueueConfig withLockSpin(Duration lockSpin) {
        return new XQueueConfig(name, threshold, batchSize, cooperativeYield, deviceGate, waitSpin, idlePoll, lockSpin, drainBudget);
    }

    /**
     * A copy whose window adapts to keep the time its released work takes to drain near
     * {@code drainBudget} (see {@link XQueueConfig}), between 2 commands (1 at a threshold of 1)
     * and the threshold.
     *
     * @param drainBudget from 0 (a fixed window) to {@link #MAX_DRAIN_BUDGET}
     * @return the new configuration
     * @throws IllegalArgumentException if it is out of that range
     */
    public XQueueConfig withDrainBudget(Duration drainBudget) {
        return new XQueueConfig(name, threshold, batchSize, cooperativeYield, deviceGate, waitSpin, idlePoll, lockSpin, drainBudget);
    }
}
