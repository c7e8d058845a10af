package dev.xsched.hip.internal.sim;

import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.YieldableKernels;
import dev.xsched.hip.sim.BlockDispatch;
import dev.xsched.hip.sim.KernelRecord;
import dev.xsched.hip.sim.SimKernelBody;
import dev.xsched.hip.sim.SimListener;
import dev.xsched.hip.sim.SimMemory;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The discrete-event simulation behind every device of one simulated platform.
 *
 * <p>State changes only under {@link #lock}. Simulated time {@link #now} moves forward only in
 * {@link #advanceTo}, which takes due actions from the {@link Timeline} in order and, after each
 * instant, lets streams start their next commands and hands free block slots to eligible kernels
 * ({@link #schedule}). In virtual time callers move time explicitly or by blocking; in real time
 * every call first catches up with the wall clock, and a daemon thread ({@value #THREAD_NAME})
 * catches up whenever the next action falls due. Either way the order of processing is the same,
 * and timestamps are the scheduled times, not the (later) times a thread happened to wake.
 *
 * <p>One input is not a simulated event: a plain store to registered host memory, by another
 * thread or process, that releases a stream's wait on it ({@code Stream.waitUntilAtLeast}). While
 * such a wait holds its stream ({@link #hostWaitBlocked}) the engine looks at the word at every
 * schedule, as for any wait, and also where nothing simulated happens. In real time every catch-up
 * looks, and the engine thread sleeps at most {@value #HOST_WAIT_POLL_NANOS} ns at a time, so a
 * store is seen within about that long (plus the thread's wake-up latency) and the wait ends at the
 * time it was seen (a catch-up that processes instants the engine thread slept through may see it
 * at the first of them). In virtual time every advance of the clock looks before it moves, and so
 * does a blocking call before it gives up for want of anything to simulate, so a store made while
 * the clock stood still is seen at that time. Without such a wait nothing polls and nothing costs
 * more.
 */
public final class SimEngine {
    public static final String THREAD_NAME = "xsched-sim-engine";
    /**
     * Real time only: the longest the engine thread sleeps while a wait on host memory holds a
     * stream. A queue armed for the cross-process stop keeps such a wait pending all the time, so
     * this is paid for as long as it lives: 10,000 wake-ups a second, a few percent of a core, where
     * 20 us cost a 2-core host a fifth of one. Short against what such a wait gates (the simulated
     * batch kernels' checks, the round trip to a scheduler server), though far longer than a GPU's
     * front end takes to see a store (under 10 us on an H200).
     */
    static final long HOST_WAIT_POLL_NANOS = 100_000;

    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Signalled when a command left a stream (what every real-time waiter waits for: a stream or a
     * device idle, an event complete), the engine failed or closed: waiters re-check their condition.
     */
    private final Condition progressed = lock.newCondition();
    /**
     * A command left a stream since waiters were last woken. Only then does {@link #advanceTo} wake
     * them: it runs for every block group that ends, and a batch kernel's thousands of groups woke
     * every waiting thread thousands of times a second, on a small host taking the CPU the
     * latency-critical thread needed (the simulated demo's online requests sat on the run queue).
     */
    private boolean commandLeft;
    /** How many times {@link #advanceTo} woke the waiters; for tests. */
    private long waiterWakeUps;
    /** Signalled on every submission: the engine thread's next due time may have changed. */
    private final Condition submitted = lock.newCondition();
    private final SimConfig config;
    private final SimMemory memory;
    private final Timeline timeline = new Timeline();
    private final List<DeviceState> devices = new ArrayList<>();
    private final List<SimListener> listeners = new CopyOnWriteArrayList<>();
    private final long realOrigin = System.nanoTime();
    private final Thread engineThread;
    private long now;
    private long nextSeq = 1;
    private long nextStreamId = 1;
    /** True while a kernel body or listener runs: they must not call back into the platform. */
    private boolean inUserCode;
    private volatile boolean closed;
    private volatile Throwable engineFailure;
    /**
     * Real time only: the time of the first action on the timeline ({@link Long#MAX_VALUE} when it
     * is empty), published whenever the lock is let go. Before then nothing can change on its own,
     * so an event query (which waiters poll, holding the lock tens of thousands of times a second
     * and taking it from the engine thread, the simulated GPU) that finds its event incomplete
     * answers without the lock ({@link #isComplete}).
     */
    private volatile long nextDue = Long.MAX_VALUE;
    /** How many event queries {@link #isComplete} answered without the lock; for tests. */
    private final LongAdder unlockedAnswers = new LongAdder();
    /**
     * The head of some stream is a wait on registered host memory that did not hold when
     * {@link #schedule} last looked. Set by every schedule (which looks at every stream's head, and
     * follows every change of one), so it is exact between them; while it is set the engine looks
     * again without a simulated event (see the class comment).
     */
    private boolean hostWaitBlocked;
    /** How many times the real-time engine thread woke to poll a wait on host memory; for tests. */
    private long hostWaitPolls;

    public SimEngine(SimConfig config, SimMemory memory) {
        this.config = Objects.requireNonNull(config, "config");
        this.memory = Objects.requireNonNull(memory, "memory");
        for (int i = 0; i < config.devices(); i++) {
            devices.add(new DeviceState(i, config.slots()));
        }
        listeners.addAll(config.listeners());
        if (config.virtualTime()) {
            engineThread = null;
        } else {
            engineThread = Thread.ofPlatform().name(THREAD_NAME).daemon().unstarted(this::runEngineThread);
            engineThread.start();
        }
    }

    DeviceState device(int index) {
        return devices.get(index);
    }

    public SimConfig config() {
        return config;
    }

    public boolean isVirtualTime() {
        return config.virtualTime();
    }

    /** The current simulated time (in real time: the wall clock since the platform was built). */
    public long nanoTime() {
        if (!config.virtualTime()) {
            return realNow();
        }
        lock.lock();
        try {
            return now;
        } finally {
            lock.unlock();
        }
    }

    private long realNow() {
        return System.nanoTime() - realOrigin;
    }

    public void addListener(SimListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(SimListener listener) {
        listeners.remove(listener);
    }

    // ---- entry points: every call from the API goes through one of these ----

    /** Runs {@code action} under the lock, after checking the caller and catching up with real time. */
    <T> T call(Supplier<T> action) {
        lock.lock();
        try {
            checkCaller();
            catchUp();
            return action.get();
        } finally {
            publishNextDue();
            lock.unlock();
        }
    }

    void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    private void checkCaller() {
        if (inUserCode) {
            throw new IllegalStateException("kernel bodies and simulation listeners run inside the simulation and must "
                    + "not call the simulated platform (only the SimMemory they are given)");
        }
        if (engineFailure != null) {
            throw new IllegalStateException("the simulation engine failed", engineFailure);
        }
        checkOpen();
    }

    /**
     * Throws once the platform is closed: for the calls that do not go through the engine's lock
     * (allocations, events, modules), as {@code SimulatedPlatform.close} promises for every call.
     */
    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the simulated platform is closed");
        }
    }

    /** Throws the device's sticky asynchronous failure, if any (as every HIP call does after a fault). */
    void checkHealthy(DeviceState device) {
        HipException failure = device.failure;
        if (failure != null) {
            HipException report = new HipException(failure.code(), failure.errorName(), failure.errorMessage(), failure.call());
            report.initCause(failure);
            throw report;
        }
    }

    StreamState createStream(DeviceState device, int priority) {
        return call(() -> {
            StreamState stream = new StreamState(nextStreamId++, priority, device);
            device.streams.add(stream);
            return stream;
        });
    }

    /**
     * Queues a launch; {@code yieldable}: the kernel follows the yieldable convention, so a launch
     * with a non-null stop flag is managed (its control words are checked now).
     */
    void launch(StreamState stream, String kernelName, LaunchConfig config, KernelArgs args, SimKernelBody body,
                long blockNanos, boolean yieldable) {
        YieldControl control = yieldable ? YieldControl.of(memory, args, config.grid().volume()) : null;
        submit(stream, () -> new KernelLaunch(nextSeq++, stream, kernelName, config, args, body, blockNanos, now, control));
    }

    void transfer(StreamState stream, String description, long bytes, Runnable move) {
        submit(stream, () -> new Transfer(nextSeq++, stream, description, config.transferNanos(bytes), move));
    }

    void record(StreamState stream, EventState event) {
        submit(stream, () -> new EventRecord(nextSeq++, stream, event, event.newRecord()));
    }

    void waitFor(StreamState stream, EventState event) {
        submit(stream, () -> new EventWait(nextSeq++, stream, event, event.latestRecord()));
    }

    /** Queues a wait until the word at {@code address} (a live device address, checked by the caller) equals {@code value}. */
    void waitUntilEquals(StreamState stream, long address, int value) {
        submit(stream, () -> new MemoryWait(nextSeq++, stream, address, value, MemoryWait.Comparison.EQUAL, false));
    }

    /**
     * Queues a wait until the word of registered host memory at {@code address} (its device
     * address, checked by the caller) reaches {@code value} in wrap-around order.
     */
    void waitUntilAtLeast(StreamState stream, long address, int value) {
        submit(stream, () -> new MemoryWait(nextSeq++, stream, address, value, MemoryWait.Comparison.AT_LEAST, true));
    }

    /**
     * Queues a command made by {@code command} once the stream is known to accept it: making a
     * record counts it on its event, so a refused record must never be made.
     */
    private void submit(StreamState stream, Supplier<Command> command) {
        run(() -> {
            if (stream.closed) {
                throw new IllegalStateException(stream + " is closed");
            }
            checkHealthy(stream.device);
            stream.commands.addLast(command.get());
            settle();
            submitted.signal();
        });
    }

    boolean isIdle(StreamState stream) {
        return call(() -> {
            checkHealthy(stream.device);
            return stream.isIdle();
        });
    }

    void synchronize(StreamState stream) {
        run(() -> {
            await(stream::isIdle, () -> "synchronizing " + stream);
            checkHealthy(stream.device);
        });
    }

    void synchronize(DeviceState device) {
        run(() -> {
            await(device::isIdle, () -> "synchronizing device " + device.index);
            checkHealthy(device);
        });
    }

    /**
     * Waits until no stream of {@code device} is held by a wait on registered host memory: what a
     * device-wide call other than a synchronization waits for ({@link SimDevice}), as
     * {@link #synchronize(DeviceState)} would, in real time until a store releases the wait, in
     * virtual time failing when nothing left to simulate could. Only such waits, not the device's
     * other work, so a call with none pending returns at once and moves no clock. A closed platform
     * simulates nothing that could hold the call, and code that runs inside the simulation (a
     * listener freeing memory, as tests do to race a free with the engine) cannot wait for the
     * engine it holds: both return at once, as the calls did before they waited.
     *
     * @param call the driver call that waits, for the message of a wait that can never end
     */
    void awaitNoHostWait(DeviceState device, String call) {
        lock.lock();
        try {
            if (closed || inUserCode) {
                return;
            }
            checkCaller();
            catchUp();
            if (hostWaitBlocked && config.virtualTime()) {
                advanceTo(now); // a store made while the clock stood still is seen now, with no step of the clock
            }
            await(() -> !device.heldByHostWait(), () -> call + " on device " + device.index
                    + ", which waits for everything on the device,");
        } finally {
            publishNextDue();
            lock.unlock();
        }
    }

    /**
     * Waits for the stream's commands, then removes it from its device, and then reports the
     * device's sticky failure, as the drivers' synchronize in a native close does: the stream is
     * gone either way.
     */
    void closeStream(StreamState stream) {
        lock.lock();
        try {
            if (closed) {
                stream.closed = true;
                return;
            }
        } finally {
            lock.unlock();
        }
        run(() -> {
            await(stream::isIdle, () -> "closing " + stream);
            stream.closed = true;
            stream.device.streams.remove(stream);
            checkHealthy(stream.device);
        });
    }

    /**
     * Whether the event's latest record has completed. In real time a query that finds it
     * incomplete while nothing on the timeline is due yet answers without the lock: only a due
     * action (a kernel's or a copy's end, a command's latency) or a call, which publishes the next
     * due time before letting the lock go, can complete it. A caller that holds the lock (a kernel
     * body or listener, refused by {@link #call}), a closed or failed engine and a failed device
     * take the locked path, which reports the device's sticky failure as {@code cuEventQuery} does.
     */
    boolean isComplete(EventState event) {
        DeviceState device = devices.get(event.device);
        if (!config.virtualTime() && !event.isComplete() && realNow() < nextDue && !closed && engineFailure == null
                && device.failure == null && !lock.isHeldByCurrentThread()) {
            unlockedAnswers.increment();
            return false;
        }
        return call(() -> {
            checkHealthy(device);
            return event.isComplete();
        });
    }

    void synchronize(EventState event) {
        run(() -> {
            await(event::isComplete, () -> "synchronizing an event of device " + event.device);
            checkHealthy(devices.get(event.device));
        });
    }

    /** Milliseconds from {@code start}'s completion to {@code end}'s, both recorded and complete. */
    float elapsedMillis(EventState start, EventState end) {
        return call(() -> {
            for (EventState event : List.of(start, end)) {
                if (!event.wasRecorded()) {
                    throw HipException.of(HipError.INVALID_HANDLE, "hipEventElapsedTime (an event was never recorded)");
                }
                if (!event.isComplete()) {
                    throw HipException.of(HipError.NOT_READY, "hipEventElapsedTime (an event has not completed)");
                }
            }
            return (float) ((end.completedAtNanos() - start.completedAtNanos()) / 1e6);
        });
    }

    // ---- the virtual clock ----

    /** Moves virtual time to {@code time}, or by {@code time} when {@code relative}. */
    void advanceClock(long time, boolean relative, String caller) {
        run(() -> {
            if (!config.virtualTime()) {
                throw new IllegalStateException(caller + " needs virtual time; this platform runs in real time");
            }
            long target = relative ? Math.addExact(now, time) : time;
            if (target < now) {
                throw new IllegalArgumentException(caller + ": cannot go back in time from " + now + " ns to " + target + " ns");
            }
            advanceTo(target);
        });
    }

    long runUntilIdle() {
        return call(() -> {
            await(() -> devices.stream().allMatch(DeviceState::isIdle), () -> "running until every stream is idle");
            return now;
        });
    }

    /** Stops the engine thread; later calls throw. Work still queued never completes. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            submitted.signalAll();
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether host memory can be reached by whichever thread will move the bytes of a copy: in real
     * time any thread that calls the platform, or the engine thread, so the memory must not be
     * confined to one thread; in virtual time the thread that advances time, assumed to be the caller.
     */
    boolean canReachFromSimulation(java.lang.foreign.MemorySegment host) {
        return host.isAccessibleBy(engineThread != null ? engineThread : Thread.currentThread());
    }

    // ---- the simulation proper; every method below runs under the lock ----

    /** In real time, processes everything due by now; in virtual time nothing moves by itself. */
    private void catchUp() {
        if (!config.virtualTime()) {
            advanceTo(Math.max(now, realNow()));
        }
    }

    /** Applies a submission: starts what can start now and processes whatever completes at once. */
    private void settle() {
        schedule();
        advanceTo(now);
    }

    private void advanceTo(long time) {
        if (hostWaitBlocked && config.virtualTime()) {
            schedule(); // a host store made while the clock stood still is seen at the time it was made
        }
        while (timeline.hasDueBy(time)) {
            now = timeline.nextTime();
            while (timeline.hasDueBy(now)) {
                timeline.takeNext().run();
            }
            schedule();
        }
        now = Math.max(now, time);
        if (hostWaitBlocked && !config.virtualTime()) {
            schedule(); // a host store is seen when the engine looks: now, at the wall clock
        }
        if (commandLeft) {
            commandLeft = false;
            waiterWakeUps++;
            progressed.signalAll();
        }
    }

    /**
     * Waits until {@code done} holds. Virtual time advances exactly as far as needed, or fails fast
     * when nothing left to simulate could make {@code done} hold; real time waits for the engine.
     */
    private void await(BooleanSupplier done, Supplier<String> what) {
        if (config.virtualTime()) {
            while (!done.getAsBoolean()) {
                if (timeline.isEmpty() && hostWaitBlocked) {
                    // Before giving up: a host store since the engine last looked may release a
                    // wait, and start what follows it.
                    advanceTo(now);
                    if (done.getAsBoolean()) {
                        return;
                    }
                }
                if (timeline.isEmpty()) {
                    throw new IllegalStateException(what.get() + " would wait forever: at " + now
                            + " ns nothing is left to simulate that could complete it" + describeBlockedStreams());
                }
                advanceTo(timeline.nextTime());
            }
            return;
        }
        while (!done.getAsBoolean()) {
            publishNextDue();
            progressed.awaitUninterruptibly();
            checkCaller();
            catchUp();
        }
    }

    private String describeBlockedStreams() {
        StringBuilder blocked = new StringBuilder();
        for (DeviceState device : devices) {
            for (StreamState stream : device.streams) {
                if (stream.commands.peekFirst() instanceof EventWait) {
                    blocked.append(blocked.isEmpty() ? "; " : ", ").append(stream)
                            .append(" waits for an event record that can never complete");
                } else if (stream.commands.peekFirst() instanceof MemoryWait wait && wait.hostMemory) {
                    blocked.append(blocked.isEmpty() ? "; " : ", ").append(stream).append(" waits for the host word at 0x")
                            .append(Long.toHexString(wait.address)).append(" to ").append(wait.comparison.verb).append(' ')
                            .append(wait.value).append(", which only a store to the registered memory can do (in virtual "
                                    + "time, store it before the call that waits)");
                } else if (stream.commands.peekFirst() instanceof MemoryWait wait) {
                    blocked.append(blocked.isEmpty() ? "; " : ", ").append(stream).append(" waits for the word at 0x")
                            .append(Long.toHexString(wait.address)).append(" to ").append(wait.comparison.verb).append(' ')
                            .append(wait.value).append(", and nothing queued will write it");
                }
            }
        }
        return blocked.toString();
    }

    /** Lets every stream start what it can, to a fixed point, then fills free block slots. */
    private void schedule() {
        boolean eventCompleted;
        do {
            eventCompleted = false;
            hostWaitBlocked = false; // every pass looks at every head: the last one's finding stands
            for (DeviceState device : devices) {
                for (StreamState stream : device.streams) {
                    eventCompleted |= startReadyCommands(stream);
                }
            }
        } while (eventCompleted); // a completed record may release a wait on a stream already visited
        for (DeviceState device : devices) {
            dispatchBlocks(device);
        }
    }

    /** Starts the commands at the head of {@code stream}; returns whether an event record completed. */
    private boolean startReadyCommands(StreamState stream) {
        boolean eventCompleted = false;
        for (Command head = stream.commands.peekFirst(); head != null && !head.started; head = stream.commands.peekFirst()) {
            switch (head) {
                case EventRecord record -> {
                    record.event.complete(record.generation, now);
                    stream.commands.removeFirst();
                    commandLeft = true;
                    eventCompleted = true;
                }
                case EventWait wait -> {
                    if (!wait.isSatisfied()) {
                        return eventCompleted;
                    }
                    stream.commands.removeFirst();
                    commandLeft = true;
                }
                case MemoryWait wait -> {
                    // A word freed meanwhile is the device's sticky failure, and the wait ends, so
                    // that nothing waits for it forever (as a kernel fault ends its launch).
                    boolean[] satisfied = {true};
                    runUserCode(stream.device, "the memory wait of " + stream, () -> satisfied[0] = wait.isSatisfied(memory));
                    if (!satisfied[0]) {
                        hostWaitBlocked |= wait.hostMemory;
                        return eventCompleted;
                    }
                    stream.commands.removeFirst();
                    commandLeft = true;
                }
                case Transfer transfer -> {
                    long end = later(transfer.durationNanos);
                    transfer.started = true;
                    timeline.schedule(end, () -> finishTransfer(transfer));
                }
                case KernelLaunch launch -> {
                    launch.started = true;
                    if (config.latencyNanos() == 0) {
                        launch.eligible = true;
                    } else {
                        timeline.schedule(later(config.latencyNanos()), () -> launch.eligible = true);
                    }
                }
            }
        }
        return eventCompleted;
    }

    /**
     * Gives free slots to the first eligible kernel in dispatch order (stream priority first when
     * the hardware honours it, then submission order), as many blocks as fit, until no slot or no
     * block is left. Blocks dispatched together finish together, so one timeline entry per group.
     */
    private void dispatchBlocks(DeviceState device) {
        int free = device.slots - device.busySlots;
        while (free > 0) {
            KernelLaunch next = null;
            for (StreamState stream : device.streams) {
                if (stream.commands.peekFirst() instanceof KernelLaunch launch && launch.eligible
                        && launch.undispatched() > 0 && (next == null || launch.precedes(next, config.hardwarePriority()))) {
                    next = launch;
                }
            }
            if (next == null) {
                return;
            }
            if (next.yield != null) {
                free -= dispatchYieldable(device, next, free);
            } else {
                int group = (int) Math.min(free, next.undispatched());
                free -= group;
                startGroup(device, next, group, 0, next.blockNanos);
            }
        }
    }

    /**
     * Dispatches blocks of a managed yieldable launch as {@code xsched_block_begin} would have them
     * start: a block finished in an earlier launch, or starting while the flag is up, returns at once
     * (no slot time; the latter sets the record, since it must run in a relaunch); the others run
     * for what is left of their duration after the progress they saved, in groups of equal progress.
     * Returns the slots used.
     */
    private int dispatchYieldable(DeviceState device, KernelLaunch launch, int free) {
        YieldControl control = launch.yield;
        boolean stopping;
        MemorySegment states;
        try {
            stopping = control.flagUp();
            states = control.states();
        } catch (RuntimeException e) {
            failLaunch(device, launch, e);
            return 0;
        }
        if (launch.startNanos < 0) {
            launch.startNanos = now; // even if every block returns at once, each one started
        }
        try {
            return dispatchYieldableBlocks(device, launch, free, stopping, states);
        } catch (RuntimeException e) {
            // The state buffer closed under the dispatch (its reads throw): the same sticky failure
            // as an unreachable flag, not an exception out of the engine. failLaunch ends the groups
            // this dispatch started, returning their slots.
            failLaunch(device, launch, e);
            return 0;
        }
    }

    /** {@link #dispatchYieldable(DeviceState, KernelLaunch, int)} once the control words were read. */
    private int dispatchYieldableBlocks(DeviceState device, KernelLaunch launch, int free, boolean stopping,
                                  MemorySegment states) {
        YieldControl control = launch.yield;
        int used = 0;
        long returnedAtOnce = 0;
        if (stopping) {
            // Every block not dispatched yet returns at its first check, taking no slot; the launch
            // stopped early unless each of them had finished in an earlier run. The states are read
            // only up to the first unfinished block: a stop of the max pool leaves 800,000 blocks,
            // and this thread is the simulated GPU's clock.
            for (long block = launch.dispatched; block < launch.blocks && !launch.stoppedEarly; block++) {
                if (YieldControl.stateOf(states, block) != YieldableKernels.BLOCK_DONE) {
                    launch.stoppedEarly = true;
                }
            }
            returnedAtOnce = launch.undispatched();
            launch.dispatched = launch.blocks;
        }
        while (launch.undispatched() > 0 && used < free) {
            long block = launch.dispatched;
            int state = YieldControl.stateOf(states, block);
            if (state == YieldableKernels.BLOCK_DONE) {
                launch.dispatched++;
                returnedAtOnce++;
                continue;
            }
            long end = block + 1;
            while (end < launch.blocks && end - block < free - used && YieldControl.stateOf(states, end) == state) {
                end++;
            }
            int count = (int) (end - block);
            long remaining = Math.max(0, launch.blockNanos - (long) state * config.yieldCheckNanos());
            startGroup(device, launch, count, state, remaining);
            used += count;
        }
        if (launch.stoppedEarly && stopping) {
            runUserCode(device, "the yield record of " + launch.kernelName, control::markStopped);
        }
        if (returnedAtOnce > 0) {
            long count = returnedAtOnce;
            timeline.schedule(now, () -> completeBlocks(launch, count));
        }
        return used;
    }

    /** Starts the next {@code count} blocks of {@code launch} for {@code duration}, on as many slots. */
    private void startGroup(DeviceState device, KernelLaunch launch, int count, int startProgress, long duration) {
        long end = later(duration);
        BlockGroup group = new BlockGroup(launch, launch.dispatched, count, now, end, startProgress);
        device.busySlots += count;
        launch.dispatched += count;
        if (launch.startNanos < 0) {
            launch.startNanos = now;
        }
        if (launch.yield != null) {
            launch.running.add(group);
        }
        timeline.schedule(end, () -> finishGroup(group));
        BlockDispatch dispatch = new BlockDispatch(launch.seq, device.index, launch.stream.id, launch.stream.priority,
                launch.kernelName, count, now, end);
        notifyListeners(device, "listener of block dispatch of " + launch.kernelName, l -> l.blocksDispatched(dispatch));
    }

    /** The time {@code delay} from now; refuses to wrap around (durations of centuries). */
    private long later(long delay) {
        try {
            return Math.addExact(now, delay);
        } catch (ArithmeticException e) {
            throw new IllegalStateException("simulated time overflows: " + delay + " ns after " + now + " ns", e);
        }
    }

    /** The group's blocks ran to the end; for a yieldable launch they are marked finished. */
    private void finishGroup(BlockGroup group) {
        if (group.over) {
            return;
        }
        KernelLaunch launch = group.launch;
        endGroup(group);
        if (launch.yield != null) {
            runUserCode(launch.stream.device, "the yield state of " + launch.kernelName,
                    () -> launch.yield.setStates(group.first, group.count, YieldableKernels.BLOCK_DONE));
        }
        completeBlocks(launch, group.count);
    }

    private void endGroup(BlockGroup group) {
        group.over = true;
        group.launch.stream.device.busySlots -= group.count;
        group.launch.running.remove(group);
    }

    /**
     * After a copy or memset completed: if it raised the stop flag of a running yieldable launch,
     * each of its running groups checks the flag at its next check time and stops there.
     */
    private void checkStopFlags(DeviceState device) {
        for (StreamState stream : device.streams) {
            if (!(stream.commands.peekFirst() instanceof KernelLaunch launch) || launch.yield == null
                    || launch.running.isEmpty()) {
                continue;
            }
            boolean up;
            try {
                up = launch.yield.flagUp();
            } catch (RuntimeException e) {
                failLaunch(device, launch, e);
                continue;
            }
            if (!up) {
                continue;
            }
            long interval = config.yieldCheckNanos();
            for (BlockGroup group : launch.running) {
                long checks = (now - group.start) / interval + 1;
                long check = group.start + checks * interval;
                if (!group.checkPending && check < group.end) {
                    group.checkPending = true;
                    timeline.schedule(check, () -> checkStopFlag(group, checks));
                }
            }
        }
    }

    /** A group's blocks reach check number {@code checks} since they started: they stop if the flag is still up. */
    private void checkStopFlag(BlockGroup group, long checks) {
        group.checkPending = false;
        KernelLaunch launch = group.launch;
        DeviceState device = launch.stream.device;
        if (group.over) {
            return;
        }
        boolean up;
        try {
            up = launch.yield.flagUp();
        } catch (RuntimeException e) {
            failLaunch(device, launch, e);
            return;
        }
        if (!up) {
            return;
        }
        endGroup(group);
        launch.stoppedEarly = true;
        // A block that restarts saves nothing: its relaunch runs it whole again.
        int progress = config.stoppedBlocksRestart() ? 0 : (int) Math.min(Integer.MAX_VALUE - 1, group.startProgress + checks);
        runUserCode(device, "the yield state of " + launch.kernelName, () -> {
            launch.yield.setStates(group.first, group.count, progress);
            launch.yield.markStopped();
        });
        completeBlocks(launch, group.count);
    }

    /**
     * Control words that cannot be reached (a buffer freed under the running launch): the device
     * fails (sticky), and the launch ends at once, so that nothing waits for it forever.
     */
    private void failLaunch(DeviceState device, KernelLaunch launch, RuntimeException cause) {
        runUserCode(device, "the yield control words of " + launch.kernelName, () -> {
            throw cause;
        });
        launch.stoppedEarly = true;
        List.copyOf(launch.running).forEach(this::endGroup);
        launch.dispatched = launch.blocks;
        completeBlocks(launch, launch.blocks - launch.completed);
    }

    /** {@code count} more blocks of {@code launch} are over; the last one completes the launch. */
    private void completeBlocks(KernelLaunch launch, long count) {
        if (launch.completed >= launch.blocks) {
            return; // ended early by a failure; a completion still on the timeline has nothing left to do
        }
        launch.completed += count;
        if (launch.completed < launch.blocks) {
            return;
        }
        StreamState stream = launch.stream;
        DeviceState device = stream.device;
        if (launch.body != null && !launch.stoppedEarly) {
            runUserCode(device, "kernel " + launch.kernelName + " on " + stream,
                    () -> launch.body.run(launch.config, launch.args, memory));
        }
        removeHead(stream, launch);
        KernelRecord record = new KernelRecord(launch.seq, device.index, stream.id, stream.priority, launch.kernelName,
                launch.config, launch.blocks, launch.blockNanos, launch.submitNanos, launch.startNanos, now);
        notifyListeners(device, "listener of kernel " + launch.kernelName, l -> l.kernelCompleted(record));
    }

    private void finishTransfer(Transfer transfer) {
        runUserCode(transfer.stream.device, transfer.description + " on " + transfer.stream, transfer.move);
        removeHead(transfer.stream, transfer);
        checkStopFlags(transfer.stream.device);
    }

    private void removeHead(StreamState stream, Command command) {
        Command head = stream.commands.removeFirst();
        commandLeft = true;
        if (head != command) {
            throw new IllegalStateException("simulator bug: " + stream + " completed a command that is not its head");
        }
    }

    private void notifyListeners(DeviceState device, String what, Consumer<SimListener> event) {
        for (SimListener listener : listeners) {
            runUserCode(device, what, () -> event.accept(listener));
        }
    }

    /**
     * Runs code the simulation does not control (a kernel body, a copy into host memory, a
     * listener). What it throws becomes the device's sticky failure: the simulation goes on, and
     * the next call on the device reports it, as a GPU reports a fault at the next API call. An
     * Error too (a body's StackOverflowError, an OutOfMemoryError materializing a buffer): rethrown,
     * it would end the engine thread or the caller's catch-up halfway through a command, leaving
     * the stream wedged and real-time waiters waiting forever.
     */
    private void runUserCode(DeviceState device, String what, Runnable code) {
        inUserCode = true;
        try {
            code.run();
        } catch (Throwable e) {
            if (device.failure == null) {
                HipError error = e instanceof HipException hip && HipError.fromCode(hip.code()).isPresent()
                        ? HipError.fromCode(hip.code()).get() : HipError.LAUNCH_FAILURE;
                HipException failure = HipException.of(error, what + " (asynchronous, at " + now + " ns): " + e);
                failure.initCause(e);
                device.failure = failure;
            }
        } finally {
            inUserCode = false;
        }
    }

    private void runEngineThread() {
        lock.lock();
        try {
            while (!closed) {
                catchUp();
                publishNextDue();
                long wait = timeline.isEmpty() ? Long.MAX_VALUE : timeline.nextTime() - realNow();
                if (hostWaitBlocked && wait > HOST_WAIT_POLL_NANOS) {
                    // The store that releases the wait is no event: wake to look for it (catchUp).
                    wait = HOST_WAIT_POLL_NANOS;
                    hostWaitPolls++;
                }
                if (wait == Long.MAX_VALUE) {
                    submitted.await();
                } else if (wait > 0) {
                    submitted.awaitNanos(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            // A bug in the engine, or an Error (out of memory): stop, and make every waiting and
            // later call say so; a waiter left unsignalled would wait forever.
            engineFailure = e;
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Publishes the timeline's first due time for {@link #isComplete}'s unlocked path; under the lock, before letting it go. */
    private void publishNextDue() {
        if (!config.virtualTime()) {
            long due = timeline.isEmpty() ? Long.MAX_VALUE : timeline.nextTime();
            // A host store may release a wait, and complete a record behind it, at the next poll:
            // a query after then takes the lock, which looks itself.
            nextDue = hostWaitBlocked ? Math.min(due, now + HOST_WAIT_POLL_NANOS) : due;
        }
    }

    /** For tests: how many event queries were answered without the lock. */
    long unlockedAnswers() {
        return unlockedAnswers.sum();
    }

    /** For tests: how many times the simulation's progress woke the real-time waiters. */
    long waiterWakeUps() {
        return call(() -> waiterWakeUps);
    }

    /** For tests: how many times the real-time engine thread cut its sleep short to poll a wait on host memory. */
    long hostWaitPolls() {
        return call(() -> hostWaitPolls);
    }
}
