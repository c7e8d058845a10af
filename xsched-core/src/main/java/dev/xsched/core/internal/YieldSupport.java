package dev.xsched.core.internal;

import dev.xsched.core.coordination.StopWord;
import dev.xsched.core.internal.jfr.StopFlagWrite;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.DeviceWideCallListener;
import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.Stream;
import dev.xsched.hip.PinnedBuffer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The memory behind one queue's {@linkplain dev.xsched.hip.YieldableKernels yieldable} launches:
 * the stop flag in device memory, the "stopped early" records in host-mapped pinned memory (one
 * per in-flight slot), and a pool of device buffers for the per-block state.
 *
 * <p>Why the flag lives in device memory: every block of a yieldable kernel reads it at entry and
 * at each check, thousands at once. Reads of host-mapped memory cross the bus one by one, and on
 * an H200 two waves of blocks reading one host word slowed kernels twentyfold; device memory
 * answers from L2. The host writes it with a 4-byte copy on a stream of its own (a copy engine,
 * not an SM, so it lands while the kernels occupy every SM), in order, and records an event after
 * each lowering so that the queue's stream can wait for a lowered flag before launching again.
 * Records are written only by blocks that stop, and read by the host after the launch completed,
 * so they stay in host-mapped memory.
 *
 * <p>A launch's record slot is its sequence number modulo {@code slots} (the queue's threshold):
 * the commands in flight always have consecutive sequence numbers, at most {@code threshold} of
 * them, so no two share a slot.
 */
final class YieldSupport implements AutoCloseable {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** State buffers come in powers of two from this size, so that kernels of similar grids share them. */
    private static final long MIN_STATE_BYTES = 4096;
    /** Control words: the constants 1 and 0 (copy sources for the flag), then the records. */
    private static final long ONE = 0;
    private static final long ZERO = 4;
    private static final long RECORDS = 8;

    private final String queueName;
    private final Device device;
    private final DeviceBuffer flag;
    private final PinnedBuffer control;
    private final MemorySegment words;
    private final Stream flagStream;
    private final Event flagWritten;
    private final ReentrantLock flagLock = new ReentrantLock();
    /** Guarded by {@link #flagLock}. */
    private boolean flagOnDevice;
    /** Closed: flag writes are no-ops (nothing reads the flag any more). Guarded by {@link #flagLock}. */
    private boolean closed;
    /**
     * The cross-process stop, if armed ({@link #armRemote}). Written under {@link #flagLock};
     * volatile for {@link #remoteFired()}, which reads it without.
     */
    private volatile RemoteStop remote;
    /** A {@link RemoteStop} is being made, outside the flag lock ({@link #armRemote}). Guarded by {@link #flagLock}. */
    private boolean arming;
    /** Signalled when {@link #arming} ends: a close waits for it before it frees the flag, which the stop writes. */
    private final Condition armingEnded = flagLock.newCondition();
    /** The armed stop's pause around the device's device-wide calls. Guarded by {@link #flagLock}. */
    private DeviceWideCallListener.Registration pausing;
    /**
     * Device-wide calls under way that began after the pause listener was registered (their
     * afters still to run): an arm installed meanwhile starts paused as many times. Guarded by
     * {@link #flagLock}.
     */
    private int deviceWideCallsUnderWay;
    /** The listener of the installed stop (an earlier, failed arm's may still be told things). Guarded by {@link #flagLock}. */
    private PauseAroundDeviceWideCalls installedPause;
    private final int slots;
    /**
     * Free state buffers by capacity: index k holds those of {@code MIN_STATE_BYTES << k} bytes
     * (capacities are powers of two; a list indexed by size class rather than a map keyed by the
     * capacity, which would box a key on every launch). Guarded by this.
     */
    private final List<List<DeviceBuffer>> free = new ArrayList<>();
    /** Every state buffer allocated, to free at close. Guarded by this. */
    private final List<DeviceBuffer> all = new ArrayList<>();
    /** Closed: {@link #all} was freed, and nothing more is allocated (nothing would free it). Guarded by this. */
    private boolean stateClosed;

    YieldSupport(String queueName, Device device, int slots) {
        this.queueName = queueName;
        this.device = device;
        this.slots = slots;
        List<AutoCloseable> made = new ArrayList<>();
        try {
            this.control = device.allocatePinned(RECORDS + (long) slots * Integer.BYTES);
            made.add(control);
            this.words = control.segment();
            words.fill((byte) 0);
            words.set(ValueLayout.JAVA_INT, ONE, 1);
            this.flag = device.allocate(Integer.BYTES);
            made.add(flag);
            this.flagStream = device.createStream(device.streamPriorityRange().greatest());
            made.add(flagStream);
            this.flagWritten = device.createEvent(EnumSet.of(EventFlag.DISABLE_TIMING));
            made.add(flagWritten);
            // Fresh device memory holds anything: write 0 first. The queue's stream waits for this
            // write before its first yieldable launch, like after every lowering.
            flagStream.copy(flag, words.asSlice(ZERO, Integer.BYTES));
            flagStream.record(flagWritten);
        } catch (RuntimeException e) {
            for (int i = made.size() - 1; i >= 0; i--) {
                try {
                    made.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** The stop flag kernels read. */
    DeviceMemory flag() {
        return flag;
    }

    /** The pinned memory holding the records. */
    PinnedBuffer records() {
        return control;
    }

    /**
     * Brings the device flag to {@code wanted.getAsBoolean()}, evaluated under this object's flag
     * lock: callers racing with each other each write the value current at their turn, in order on
     * one stream, so the last write always matches the latest wish. {@link #flagWritten()} follows
     * the last write of 0 (the first is made at creation).
     */
    void writeFlag(BooleanSupplier wanted) {
        flagLock.lock();
        try {
            if (closed) {
                // The queue shut down: a decision the scheduler applied on its way out (a resume
                // that lowers the flag) has nothing left to stop or let go.
                return;
            }
            boolean up = wanted.getAsBoolean();
            // A raise by another process's store is not in flagOnDevice: lower after one regardless.
            boolean remoteRaised = !up && remote != null && remote.beforeLowering(flagStream);
            if (up != flagOnDevice || remoteRaised) {
                StopFlagWrite timed = StopFlagWrite.isOn() ? StopFlagWrite.started() : null;
                flagStream.copy(flag, words.asSlice(up ? ONE : ZERO, Integer.BYTES));
                if (!up) {
                    // Only a lowering is waited for (the first release after it). A raise is
                    // not: nothing is released while the flag is up, and the gated commands read
                    // the flag itself. Its record would be one more driver call on the path of
                    // the request that preempts this queue, before that request's first kernel.
                    flagStream.record(flagWritten);
                }
                flagOnDevice = up;
                if (timed != null) {
                    timed.written(queueName, up);
                }
            }
            if (remoteRaised) {
                remote.afterLowering();
            }
        } finally {
            flagLock.unlock();
        }
    }

    /**
     * Arms the cross-process stop on {@code word} ({@link RemoteStop}); a second call while armed,
     * or being armed, is refused. The word is closed with this support. From then on the stop's
     * pending wait steps aside for the device's device-wide calls (a free, a module load, a device
     * synchronization: {@link Device#onDeviceWideCalls}), which would otherwise wait for the word
     * to move: a listener pauses it before each and resumes it after.
     *
     * <p>The stop is made outside the flag lock: making it makes device-wide calls (the word's file
     * registers itself for the device on first use; a failure frees pinned memory), whose listeners
     * take the flag locks of the device's other armed queues, and a thread that holds one flag lock
     * while taking another can deadlock with one doing the reverse. The arm is reserved under the
     * lock first, so that a concurrent arm is refused and a close waits for the stop (whose raise
     * writes the flag) before it frees the flag; the stop is installed under the lock after, unless
     * the support closed meanwhile (then it is closed again, outside the lock). No other process
     * knows the word before this returns, so no store can raise the flag before the stop is installed.
     *
     * @throws IllegalStateException if already armed, or this support is closed
     */
    void armRemote(StopWord word) {
        flagLock.lock();
        try {
            if (closed) {
                throw closedQueue(queueName);
            }
            if (remote != null || arming) {
                throw new IllegalStateException("XQueue " + queueName + " already has a remote stop ("
                        + (remote != null ? remote : "being armed") + ")");
            }
            arming = true;
        } finally {
            flagLock.unlock();
        }
        DeviceWideCallListener.Registration pauses = null;
        RemoteStop made = null;
        PauseAroundDeviceWideCalls listener = new PauseAroundDeviceWideCalls();
        try {
            // The listener first: the calls after it count themselves (deviceWideCallsUnderWay), and
            // it is told when those that began without it have ended (earlierCallsUnderWay), so the
            // first wait, armed at install, never lands under a call past its listeners. The
            // registration does not wait for those calls: they may wait for work that only this
            // thread's progress ends (a gated queue's resume, decided by the round that arms here).
            pauses = device.onDeviceWideCalls(listener);
            made = new RemoteStop(word, device, flag);
            if (install(made, pauses, listener)) {
                return;
            }
            throw closedQueue(queueName);
        } catch (RuntimeException | Error e) {
            // Not installed: the stop (whose release writes the flag) goes before the close that
            // waits for this arm may free the flag; outside the flag lock, since it frees memory.
            closeUninstalled(made, pauses, e);
            endArming();
            throw e;
        }
    }

    /**
     * Installs {@code made} with its pause listener and arms its first wait (unless device-wide
     * calls are under way: the last one's end arms it), and ends the arm; or, if the support closed
     * meanwhile, returns false with the arm still reserved, so that the close waits until
     * {@code made} is closed.
     */
    private boolean install(RemoteStop made, DeviceWideCallListener.Registration pauses, PauseAroundDeviceWideCalls listener) {
        flagLock.lock();
        try {
            if (closed) {
                return false;
            }
            made.start(deviceWideCallsUnderWay + (listener.earlierCallsUnderWay ? 1 : 0), flagOnDevice);
            remote = made;
            installedPause = listener;
            pausing = pauses;
            arming = false;
            armingEnded.signalAll();
            return true;
        } finally {
            flagLock.unlock();
        }
    }

    /** Closes what a failed or refused arm made; the word stays the caller's, as after any refused arm. */
    private static void closeUninstalled(RemoteStop made, DeviceWideCallListener.Registration pauses, Throwable failure) {
        if (pauses != null) {
            pauses.close();
        }
        if (made != null) {
            try {
                made.closeKeepingWord();
            } catch (RuntimeException | Error suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
    }

    private void endArming() {
        flagLock.lock();
        try {
            arming = false;
            armingEnded.signalAll();
        } finally {
            flagLock.unlock();
        }
    }

    /**
     * Lets the armed wait go around each device-wide call of the device ({@link RemoteStop#pause}):
     * pending work of the device, it would hold the call until another process stored into the
     * word. Runs on the calling thread, and takes this support's flag lock: a thread must not make
     * a device-wide call while it holds a queue's lock or another queue's flag lock (a flag-lock
     * holder takes its queue's lock).
     */
    private final class PauseAroundDeviceWideCalls implements DeviceWideCallListener {
        /**
         * Device-wide calls that began before this listener's registration are still under way:
         * a stop installed meanwhile starts paused once more for them. Guarded by {@link #flagLock}.
         */
        boolean earlierCallsUnderWay = true;

        @Override
        public void beforeDeviceWideCall() {
            onEveryCall(+1, stop -> stop.pause(flagOnDevice), "let its wait go for");
        }

        @Override
        public void afterDeviceWideCall() {
            onEveryCall(-1, RemoteStop::resume, "arm its wait again after");
        }

        /** The calls that began before the registration have ended: the pause they stood for ends. */
        @Override
        public void earlierCallsEnded() {
            flagLock.lock();
            try {
                earlierCallsUnderWay = false;
                if (installedPause == this && remote != null && !closed) {
                    applyQuietly(RemoteStop::resume, "arm its wait again after");
                }
            } finally {
                flagLock.unlock();
            }
        }

        private void onEveryCall(int delta, Consumer<RemoteStop> action, String what) {
            flagLock.lock();
            try {
                deviceWideCallsUnderWay += delta;
                if (remote != null && !closed) {
                    applyQuietly(action, what);
                }
            } finally {
                flagLock.unlock();
            }
        }

        /**
         * Never throws into the unrelated call: a before that threw would skip the call (a free
         * would leak) and its after, leaving the pauses unpaired. The stop then may stay paused
         * (the server's suspend still works) or, for a failed release, the call may wait for the
         * word: logged either way.
         */
        private void applyQuietly(Consumer<RemoteStop> action, String what) {
            try {
                action.accept(remote);
            } catch (RuntimeException e) {
                System.getLogger(QueueCore.class.getName()).log(System.Logger.Level.WARNING,
                        "XQueue " + queueName + ": the cross-process stop could not " + what + " a device-wide call", e);
            }
        }
    }

    /**
     * Whether another process's store raised the flag and the flag has not come down since: the
     * queue then holds its releases until a decision about it arrives.
     */
    boolean remoteFired() {
        // Without the flag lock: called under the queue's lock, which a flag writer takes while
        // it holds the flag lock (writeFlag's supplier).
        RemoteStop armed = remote;
        return armed != null && armed.fired();
    }

    /** No new cross-process wait is armed, and the pending one is let go without a raise ({@link RemoteStop#disarm}). */
    void disarmRemote() {
        onRemote(stop -> stop.disarm(flagOnDevice));
    }

    /** Arms the cross-process stop again after {@link #disarmRemote()}. */
    void rearmRemote() {
        onRemote(RemoteStop::rearm);
    }

    /**
     * Runs {@code action} on the cross-process stop under the flag lock (which also guards
     * {@link #flagOnDevice}, read by some actions), if one is armed and this support is open.
     */
    private void onRemote(Consumer<RemoteStop> action) {
        flagLock.lock();
        try {
            if (remote != null && !closed) {
                action.accept(remote);
            }
        } finally {
            flagLock.unlock();
        }
    }

    /**
     * Recorded after the latest write of 0 (the first write, and each lowering; a raise records
     * nothing, see {@link #writeFlag}): a stream that waits for it sees the flag down, unless a
     * later raise landed, which no release waits for since nothing is released while it holds.
     */
    Event flagWritten() {
        return flagWritten;
    }

    /** Offset in {@link #records()} of the record of the launch with sequence number {@code seq}. */
    long recordOffset(long seq) {
        return RECORDS + (long) Math.floorMod(seq, slots) * Integer.BYTES;
    }

    void clearRecord(long seq) {
        INT.setVolatile(words, recordOffset(seq), 0);
    }

    /** Whether the launch with sequence number {@code seq} stopped early (read after it completed). */
    boolean yielded(long seq) {
        return (int) INT.getVolatile(words, recordOffset(seq)) != 0;
    }

    /**
     * Device memory for the state of a launch needing {@code bytes}; allocates when none is free.
     *
     * @throws IllegalStateException once {@link #close()} ran (a launch racing the queue's close)
     */
    DeviceMemory acquireState(long bytes) {
        long capacity = Math.max(MIN_STATE_BYTES, Long.highestOneBit(Math.max(1, bytes - 1)) << 1);
        synchronized (this) {
            if (stateClosed) {
                throw closedQueue(queueName);
            }
            for (int k = sizeClass(capacity); k < free.size(); k++) {
                List<DeviceBuffer> buffers = free.get(k);
                if (!buffers.isEmpty()) {
                    return buffers.removeLast().slice(0, bytes);
                }
            }
        }
        DeviceBuffer buffer = device.allocate(capacity); // outside the monitor: a native call
        boolean kept;
        synchronized (this) {
            kept = !stateClosed;
            if (kept) {
                all.add(buffer);
            }
        }
        if (!kept) {
            buffer.close(); // the close ran during the allocation and freed everything else
            throw closedQueue(queueName);
        }
        return buffer.slice(0, bytes);
    }

    /** What a yieldable launch on a queue that closed meanwhile gets (the words of a submission's own check). */
    static IllegalStateException closedQueue(String queueName) {
        return new IllegalStateException("XQueue " + queueName + " is closed");
    }

    /** Returns a launch's state memory to the pool once the launch completed for good. */
    synchronized void releaseState(DeviceMemory state) {
        DeviceBuffer buffer = state.buffer();
        int k = sizeClass(buffer.byteSize());
        while (free.size() <= k) {
            free.add(new ArrayList<>());
        }
        free.get(k).add(buffer);
    }

    /** The index in {@link #free} of buffers of {@code capacity} bytes, a power of two of at least {@code MIN_STATE_BYTES}. */
    private static int sizeClass(long capacity) {
        return Long.numberOfTrailingZeros(capacity) - Long.numberOfTrailingZeros(MIN_STATE_BYTES);
    }

    /**
     * Frees the control words and every state buffer; call once nothing is in flight. Flag writes
     * after it (or racing with it) are no-ops.
     */
    @Override
    public void close() {
        RemoteStop remoteStop;
        DeviceWideCallListener.Registration pauses;
        flagLock.lock();
        try {
            closed = true;
            while (arming) {
                // A stop being made writes the flag: its arm closes it (finding this support
                // closed) before the flag is freed below. The arm holds no lock while it makes
                // the stop, so the wait is as long as a few driver calls.
                armingEnded.awaitUninterruptibly();
            }
            remoteStop = remote;
            if (remoteStop != null) {
                // Let the wait go now, while the pause listener still covers it: a device-wide call
                // that begins once the listener is gone below would otherwise find it pending.
                // Stream calls only; a failure here is met again by the stop's close below.
                try {
                    remoteStop.disarm(flagOnDevice);
                } catch (RuntimeException e) {
                    // the close below releases the wait by the word and reports what fails then
                }
            }
            remote = null; // closed below: nothing asks it whether it fired any more
            pauses = pausing;
            pausing = null;
        } finally {
            flagLock.unlock();
        }
        // Outside the flag lock: the frees below are device-wide calls, whose listeners take
        // other queues' flag locks. This queue's own listener goes first: its stop is closing.
        if (pauses != null) {
            pauses.close();
        }
        if (remoteStop != null) {
            remoteStop.close(); // its raise writes the flag: before the flag is freed
        }
        List<DeviceBuffer> buffers;
        synchronized (this) {
            stateClosed = true;
            buffers = new ArrayList<>(all);
            all.clear();
            free.clear();
        }
        buffers.forEach(DeviceBuffer::close);
        flagStream.synchronize();
        flagWritten.close();
        flagStream.close();
        flag.close();
        control.close();
    }
}
