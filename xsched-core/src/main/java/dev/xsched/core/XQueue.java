package dev.xsched.core;

import dev.xsched.core.internal.Command;
import dev.xsched.core.internal.Failures;
import dev.xsched.core.internal.QueueCore;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.CommandChecks;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.Event;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.SlicedKernels;
import dev.xsched.hip.Stream;
import dev.xsched.hip.StreamWork;
import dev.xsched.hip.YieldableKernels;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * A scheduled queue over one hardware {@link Stream}: the same calls as a stream
 * ({@link CommandQueue}), so a program switches by replacing the object it submits to. Commands
 * go to a host-side buffer and are released progressively (see {@link XQueueConfig}); the
 * {@link XScheduler}'s policy decides when a queue may release.
 *
 * <p>Submitting never waits for the GPU. Arguments are checked and copied when a command is
 * submitted, so errors surface in the caller, not later. Host memory passed to an asynchronous
 * copy must stay alive until the copy completes (as with a stream, but the copy may start later).
 *
 * <p>Differences from XSched's HIP interposer, on purpose: {@link #synchronize()} and
 * {@link XScheduler#synchronize(Device)} include buffered commands; the {@code ...AndWait} copies
 * are ordered behind everything buffered; {@link #waitFor(Event)} on an event recorded by another
 * XQueue is released only after that record, and the producer is kept running while a running
 * queue waits for it (no deadlock when the producer would be suspended).
 */
public final class XQueue implements CommandQueue, AutoCloseable {
    private final XScheduler scheduler;
    private final QueueCore core;
    private final boolean ownsStream;
    /** Opens once the first close has released everything. */
    private final CountDownLatch closed = new CountDownLatch(1);

    XQueue(XScheduler scheduler, QueueCore core, boolean ownsStream) {
        this.scheduler = scheduler;
        this.core = core;
        this.ownsStream = ownsStream;
    }

    QueueCore core() {
        return core;
    }

    /**
     * This queue's id: unique within its scheduler and never reused, the key under which policies
     * ({@link dev.xsched.core.policy.QueueStatus#id()}), JFR events and JMX know it.
     *
     * @return the id, from 1 up in creation order
     */
    public long id() {
        return core.id();
    }

    /**
     * The name from {@link XQueueConfig#name()}, for logs, JFR and JMX; not necessarily unique.
     *
     * @return the configured name
     */
    public String name() {
        return core.config().name();
    }

    /**
     * The configuration the queue was created with; it cannot change afterwards.
     *
     * @return the immutable configuration
     */
    public XQueueConfig config() {
        return core.config();
    }

    /**
     * The hardware stream commands are released to. It belongs to the queue when the queue was made
     * by {@link XScheduler#createQueue(Device, XQueueConfig) createQueue} (closed with it), to the
     * caller when it was {@linkplain XScheduler#wrap wrapped}. Work submitted to it directly
     * bypasses the buffer and the policy, and is ordered only after what the queue has released so
     * far, not after what it still buffers.
     *
     * @return the stream
     */
    public Stream stream() {
        return core.stream();
    }

    /**
     * The device of {@link #stream()}.
     *
     * @return the device every command of this queue runs on
     */
    @Override
    public Device device() {
        return core.stream().device();
    }

    /**
     * The scheduler whose policy decides when this queue may release.
     *
     * @return the owning scheduler
     */
    public XScheduler scheduler() {
        return scheduler;
    }

    /**
     * A consistent snapshot of the counters, taken under the queue's lock without any native call:
     * cheap, from any thread, also after close.
     *
     * @return the counters as of now
     */
    public XQueueStats stats() {
        return core.stats();
    }

    /**
     * Gives the scheduler's policy a hint about this queue (priority, deadline, ...). It replaces
     * the previous hint of the same type and reaches the policy asynchronously, on the scheduling
     * thread, which then decides again; the call itself never blocks. Policies ignore hint types
     * they do not know.
     *
     * @param hint the hint; its type's constructor has already checked its range
     * @return this queue, for chaining after {@link XScheduler#createQueue(Device, XQueueConfig)}
     * @throws IllegalArgumentException if the queue is closed (no longer one of its scheduler's)
     */
    public XQueue hint(Hint hint) {
        scheduler.hint(this, hint);
        return this;
    }

    @Override
    public void launch(Kernel kernel, LaunchConfig config, KernelArgs args) {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(args, "args");
        if (!kernel.isLoaded()) {
            throw new IllegalStateException("the module of kernel " + kernel.name() + " is closed");
        }
        kernel.checkArgs(args);
        args.checkPointersUsableOn(device());
        core.submit((seq, at) -> new Command.Launch(seq, at, kernel, config, args));
    }

    /**
     * A sliced launch ({@link SlicedKernels}): the grid becomes consecutive commands of at most
     * {@code blocksPerSlice} blocks, buffered together (no other command of this queue between
     * them) and released by progressive launching like any other commands. A suspend therefore
     * takes effect after the slices already in flight (at most {@code threshold} of them), not
     * after whole kernels, and a resume continues with the next slice. Each slice counts as one
     * command towards the threshold and the batch size. Everything is validated before anything
     * is buffered. {@code blocksPerSlice} may come from {@link SliceSizer}.
     */
    @Override
    public void launchSliced(Kernel kernel, LaunchConfig config, KernelArgs args, int blocksPerSlice) {
        Objects.requireNonNull(kernel, "kernel");
        if (!kernel.isLoaded()) {
            throw new IllegalStateException("the module of kernel " + kernel.name() + " is closed");
        }
        List<SlicedKernels.Slice> slices = SlicedKernels.plan(kernel, config, args, blocksPerSlice);
        args.checkPointersUsableOn(device());
        List<QueueCore.CommandFactory> factories = new ArrayList<>(slices.size());
        for (SlicedKernels.Slice slice : slices) {
            factories.add((seq, at) -> new Command.Launch(seq, at, kernel, slice.config(), slice.args()));
        }
        core.submitAll(factories);
    }

    /**
     * A launch of a {@linkplain YieldableKernels yieldable} kernel ({@code args} without the
     * control pointers). When the policy suspends this queue while the launch runs, its blocks stop
     * at their next check instead of running to the end, so a high-priority queue waits for at
     * most one check interval of this kernel, not for its running blocks; on resume it is launched
     * again and continues where each block stopped. Commands submitted after it that are not
     * yieldable are released once it completed for good. Everything is validated before anything
     * is buffered; the per-block state memory (4 bytes a block) comes from a pool of the queue. With
     * {@link XQueueConfig#cooperativeYield()} off the kernel runs to the end like any launch.
     */
    @Override
    public void launchYieldable(Kernel kernel, LaunchConfig config, KernelArgs args) {
        Objects.requireNonNull(kernel, "kernel");
        if (!kernel.isLoaded()) {
            throw new IllegalStateException("the module of kernel " + kernel.name() + " is closed");
        }
        YieldableKernels.check(kernel, config, args);
        args.checkPointersUsableOn(device());
        if (!core.config().cooperativeYield()) {
            KernelArgs unmanaged = YieldableKernels.unmanaged(args);
            core.submit((seq, at) -> new Command.Launch(seq, at, kernel, config, unmanaged));
            return;
        }
        core.submitYieldable(kernel, config, args);
    }

    @Override
    public void copy(DeviceMemory dst, MemorySegment src) {
        CommandChecks.hostToDevice(dst, src, device().platform());
        CommandChecks.checkShareable(src, "source");
        core.submit((seq, at) -> new Command.CopyToDevice(seq, at, dst, src));
    }

    @Override
    public void copy(MemorySegment dst, DeviceMemory src) {
        CommandChecks.deviceToHost(dst, src, device().platform());
        CommandChecks.checkShareable(dst, "destination");
        core.submit((seq, at) -> new Command.CopyToHost(seq, at, dst, src));
    }

    @Override
    public void copy(DeviceMemory dst, DeviceMemory src) {
        CommandChecks.deviceToDevice(dst, src, device().platform());
        core.submit((seq, at) -> new Command.CopyOnDevice(seq, at, dst, src));
    }

    @Override
    public void memset(DeviceMemory dst, int value) {
        CommandChecks.memset(dst, value, device().platform());
        core.submit((seq, at) -> new Command.Memset(seq, at, dst, value));
    }

    @Override
    public void record(Event event) {
        Objects.requireNonNull(event, "event");
        long seq = core.submit((s, at) -> new Command.Record(s, at, event));
        scheduler.recordedBy(event, core, seq);
    }

    @Override
    public void waitFor(Event event) {
        Objects.requireNonNull(event, "event");
        Command.ProducerRef producer = scheduler.producerOf(event);
        core.submit((seq, at) -> new Command.Wait(seq, at, event, producer));
    }

    /**
     * Gates work of other code: {@code work} is called with {@link #stream()} when this command is
     * released, on the thread that releases it, and must only enqueue asynchronous work on the
     * stream ({@link StreamWork}). It counts as one command for the threshold and the sync points
     * and is ordered with this queue's other commands; like any command that is not a yieldable
     * launch, it is released only once the yieldable launches before it completed for good. What
     * the work puts on the stream cannot be preempted inside: a suspend takes effect after it. If
     * it throws, the queue fails with that cause: nothing after it is released, and waiters (and
     * later calls) get the failure; other queues keep running.
     */
    @Override
    public void enqueue(StreamWork work) {
        Objects.requireNonNull(work, "work");
        core.submit((seq, at) -> new Command.Foreign(seq, at, work));
    }

    /**
     * Runs {@code action} on the host once every command submitted before it has completed; later
     * commands of this queue are released only after it returns. Like any command it is held
     * while the queue is suspended. It runs on whichever thread releases it: the queue's completion
     * thread, the thread that runs a round resuming the queue (the scheduling thread, or with
     * {@code XScheduler.Builder#decideOnSubmit} a thread inside its own submission to another
     * queue), a thread waiting in {@link #synchronize()}, or the caller of this method itself when
     * nothing was pending. So it must be short, must not block
     * on this queue (a {@code synchronize()} of it would wait for itself), and must not assume a
     * particular thread. What it throws, an {@link Error} included, is logged and does not fail
     * the queue: the callback counts as complete, and what follows it is released.
     *
     * @param action the host code to run in stream order
     * @throws IllegalStateException if the queue is closing or has failed
     */
    public void callback(Runnable action) {
        Objects.requireNonNull(action, "action");
        core.submit((seq, at) -> new Command.HostCallback(seq, at, action));
    }

    /**
     * Waits until every command submitted before this call, buffered ones included, has completed.
     * The wait ends with the queue: it throws the queue's failure, or {@link IllegalStateException}
     * if one of those commands was dropped by {@link #close(CloseMode) close(DROP)}. The failure is
     * thrown once the work the queue released to its stream before failing has left the stream
     * (the failure lets gated work run, and yieldable launches end at their next check), so the
     * caller may free the memory that work used as soon as it catches the exception.
     */
    @Override
    public void synchronize() {
        long target = core.submittedSeq();
        scheduler.awaitCompleted(core, target);
    }

    /** Whether every submitted command, buffered ones included, has completed. */
    @Override
    public boolean isIdle() {
        if (scheduler.isManual()) {
            core.pollCompletions();
        }
        return core.isCompleted(core.submittedSeq());
    }

    /**
     * Arms the cross-process stop: from now on a store into {@code word} by another process
     * ({@link dev.xsched.core.coordination.StopWordRaiser}) raises this queue's stop flag on the
     * device within microseconds, with no thread of this process on the way, so that its running
     * {@linkplain #launchYieldable yieldable} kernels stop at their next check and, with the
     * {@linkplain XQueueConfig#deviceGate() device gate}, its released commands that have not
     * started wait. The queue then releases nothing until its scheduler's next decision about it
     * (a suspend, or a resume: a resume of a queue that runs lowers the flag and arms the wait
     * again). For decision sources that schedule queues across processes, whose server tells the
     * other processes which words their readiness advances; and within one process for a queue
     * whose readiness always suspends this one (under HPF, a queue of greater priority), which
     * advances the word itself on turning ready ({@link #onTurningReady}, {@code StopOnReady} in
     * the examples: the online model's P99 1.04x alone against 1.20x with the decision round on
     * the submitting thread, H100, 2026-12-06, docs/results.md round 42).
     *
     * <p>The wait stays pending on the device for as long as the queue is armed, and driver calls
     * that wait for the whole context wait for it as well: on NVIDIA a free and a module load
     * blocked until the word moved (H100, 2026-12-05). So the queue lets its wait go, without a
     * raise, around each of hip-ffm's calls that wait for the whole device (a free of device or
     * pinned memory, a module load or unload, a host memory registration or its close,
     * {@link Device#synchronize()}: {@link Device#onDeviceWideCalls}), and arms it again after; a
     * store by another process meanwhile stops nothing (the scheduler server's suspend still
     * follows it). What still waits for the word is such a call that does not go through hip-ffm:
     * another library's {@code cudaFree} or module load in this process. Where such code runs, do
     * not arm (the stop stays opt-in for that reason), or {@link #disarmRemoteStop()} around it.
     *
     * @param word a word of this process's {@link dev.xsched.core.coordination.StopWordFile}; the
     *             queue owns it once this returns and closes it when it closes (after a refused or
     *             failed arm it stays the caller's, to close or use again)
     * @throws UnsupportedOperationException if the queue's stream cannot wait on registered host
     *                                       memory (AMD, see {@link Stream#supportsMemoryWait()})
     * @throws IllegalStateException         if the queue already has one, or is closed
     */
    public void armRemoteStop(dev.xsched.core.coordination.StopWord word) {
        core.armRemoteStop(word);
    }

    /**
     * Lets the pending cross-process wait go without raising the flag, and arms no new one until
     * {@link #rearmRemoteStop()}: for a process that lost its scheduler server, where a raise
     * would have nobody to answer it. A raise that had already fired is lowered by the next
     * decision about the queue, as always. Does nothing without {@link #armRemoteStop}.
     */
    public void disarmRemoteStop() {
        core.disarmRemoteStop();
    }

    /**
     * Sets what the submitting thread runs each time this queue turns ready (it held no work and a
     * submission brings some), before the submission's first command goes to the stream: for a
     * decision source across processes, or within one process ({@link #armRemoteStop}), the stores
     * into the stop words of the queues that this queue's readiness suspends
     * ({@link dev.xsched.core.coordination.StopWordRaiser}), so that their kernels stop before this
     * queue's first kernel starts rather than after the scheduler server's round trip.
     *
     * @param action quick and never blocking; null for none. What it throws is logged once and
     *               otherwise ignored: the scheduler's decisions still apply, a round trip later
     */
    public void onTurningReady(Runnable action) {
        core.onTurningReady(action);
    }

    /**
     * Whether a flag another process raised holds this queue's releases until a decision about it
     * arrives ({@link #armRemoteStop}): for a decision source that answers a hold nobody else will.
     *
     * @return whether the queue waits for a decision after a store into its stop word
     */
    public boolean isHeldByRemoteStop() {
        return core.holdsRemoteRaise();
    }

    /** Arms the cross-process stop again after {@link #disarmRemoteStop()}; does nothing without {@link #armRemoteStop}. */
    public void rearmRemoteStop() {
        core.rearmRemoteStop();
    }

    /** Drains (releases and completes every command), then removes the queue; see {@link #close(CloseMode)}. */
    @Override
    public void close() {
        close(CloseMode.DRAIN);
    }

    /**
     * Removes the queue after draining or dropping its buffered commands, and closes the stream if
     * the queue made it. From the moment close begins, submissions from any thread are rejected
     * with {@link IllegalStateException}; every command accepted before runs ({@link CloseMode#DRAIN}),
     * or is dropped unrun ({@link CloseMode#DROP}: waits that include it throw). Waits on this
     * queue from other threads end when it closes.
     *
     * <p>Close always releases the queue, its thread and its stream. It throws the queue's failure
     * only if no caller was told of it yet (by a synchronize, a wait or a rejected submission), so
     * a failure is reported once. Idempotent: a second call, also from another thread while the
     * first is closing, returns once the queue is closed and throws nothing.
     *
     * <p>Blocks, uninterruptibly, until the drained commands (or, with {@code DROP}, those already
     * in flight) completed on the device: as long as the GPU takes for them, unbounded if a kernel
     * never ends. Do not call it from a {@link #callback} or {@link #enqueue} of this queue.
     *
     * @param mode whether the buffered commands still run ({@link CloseMode#DRAIN}) or are dropped
     * @throws dev.xsched.hip.HipException if a command of the queue or closing its own stream
     *         failed on the device, and no caller was told yet
     * @throws IllegalStateException if the queue failed otherwise (stream work that threw) and no
     *         caller was told yet, or if a {@linkplain XScheduler.Builder#manual manual} scheduler
     *         could not drain it (everything is released anyway)
     */
    public void close(CloseMode mode) {
        Objects.requireNonNull(mode, "mode");
        if (!scheduler.beginClose(this)) {
            awaitClosed();
            return;
        }
        try {
            closeNow(mode);
        } finally {
            closed.countDown();
        }
    }

    /** Waits until the first close of this queue has finished (uninterruptibly, like the close). */
    private void awaitClosed() {
        boolean interrupted = false;
        while (true) {
            try {
                closed.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeNow(CloseMode mode) {
        RuntimeException error = null;
        try {
            scheduler.awaitSettled(core, core.beginClose(mode == CloseMode.DROP));
        } catch (RuntimeException e) {
            error = e; // a manual scheduler that cannot make progress: release everything anyway
        }
        scheduler.remove(this);
        core.shutdown();
        if (ownsStream) {
            try {
                core.stream().close();
            } catch (RuntimeException e) {
                error = Failures.add(error, e);
            }
        }
        RuntimeException failure = core.takeUnreportedFailure();
        if (failure != null) {
            error = Failures.add(failure, error);
        }
        if (error != null) {
            throw error;
        }
    }

    @Override
    public String toString() {
        return "XQueue[" + id() + " " + name() + ", " + stats() + "]";
    }
}
