package dev.xsched.hip.internal.sim;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.Event;
import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.RegisteredHostMemory;
import dev.xsched.hip.Stream;
import dev.xsched.hip.internal.AbstractRegisteredHostMemory;
import dev.xsched.hip.internal.CopyChecks;
import dev.xsched.hip.internal.HostMemoryChecks;
import dev.xsched.hip.internal.OwnedResource;
import dev.xsched.hip.sim.SimulatedPlatform;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** A simulated stream: checks every argument as the AMD stream does, then queues the command in the engine. */
public final class SimStream extends OwnedResource implements Stream {
    private final SimDevice device;
    private final SimEngine engine;
    private final StreamState state;

    SimStream(SimDevice device, SimEngine engine, StreamState state) {
        super("stream");
        this.device = device;
        this.engine = engine;
        this.state = state;
    }

    StreamState state() {
        return state;
    }

    SimEngine engine() {
        return engine;
    }

    /** The platform-unique id used in records and messages. */
    public long id() {
        return state.id;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public int priority() {
        return state.priority;
    }

    @Override
    public void launch(Kernel kernel, LaunchConfig config, KernelArgs args) {
        ensureOpen();
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(args, "args");
        if (!(kernel instanceof SimKernel simKernel) || simKernel.module().device() != device) {
            throw new IllegalArgumentException("kernel " + kernel + " was not loaded on " + device);
        }
        if (!simKernel.isLoaded()) {
            throw new IllegalStateException("the module of kernel " + kernel.name() + " is closed");
        }
        kernel.checkArgs(args);
        args.checkPointersUsableOn(device);
        device.checkLaunchConfig(kernel.name(), config);
        if (simKernel.faulting()) {
            // Injected (SimulatedPlatform.faulting): fails this launch only, nothing is queued.
            throw HipException.of(HipError.LAUNCH_FAILURE, "hipModuleLaunchKernel(" + kernel.name() + ", grid="
                    + config.grid() + ", block=" + config.block() + ") [" + SimulatedPlatform.INJECTED_FAULT + "]");
        }
        spinFor(engine.config().launchHostNanos()); // SimulatedPlatform.Builder.launchHostCost
        long blockNanos = simKernel.blockNanosOverride() >= 0 ? simKernel.blockNanosOverride()
                : device.platformCostModel().blockNanos(kernel.name(), config, args);
        if (blockNanos < 0) {
            throw new IllegalStateException("the cost model gave a negative block duration (" + blockNanos + " ns) for "
                    + kernel.name() + " with " + config);
        }
        engine.launch(state, kernel.name(), config, args, device.bodyOf(kernel.name()), blockNanos, simKernel.yieldable());
    }

    /** Spends {@code nanos} of wall-clock time on this thread, as a driver's call would. */
    private static void spinFor(long nanos) {
        if (nanos == 0) {
            return;
        }
        long deadline = System.nanoTime() + nanos;
        while (System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }

    @Override
    public void copy(DeviceMemory dst, MemorySegment src) {
        ensureOpen();
        CopyChecks.hostToDevice(dst, src, device.platform());
        checkReachable(src, "source");
        SimBuffer buffer = SimBuffer.of(dst);
        long offset = SimBuffer.offsetOf(dst);
        engine.transfer(state, "copy of " + src.byteSize() + " bytes host to device", src.byteSize(),
                () -> buffer.write(offset, src));
    }

    @Override
    public void copy(MemorySegment dst, DeviceMemory src) {
        ensureOpen();
        CopyChecks.deviceToHost(dst, src, device.platform());
        checkReachable(dst, "destination");
        SimBuffer buffer = SimBuffer.of(src);
        long offset = SimBuffer.offsetOf(src);
        engine.transfer(state, "copy of " + dst.byteSize() + " bytes device to host", dst.byteSize(),
                () -> buffer.read(offset, dst));
    }

    @Override
    public void copy(DeviceMemory dst, DeviceMemory src) {
        ensureOpen();
        CopyChecks.deviceToDevice(dst, src, device.platform());
        SimBuffer to = SimBuffer.of(dst);
        SimBuffer from = SimBuffer.of(src);
        long toOffset = SimBuffer.offsetOf(dst);
        long fromOffset = SimBuffer.offsetOf(src);
        long bytes = src.byteSize();
        engine.transfer(state, "copy of " + bytes + " bytes device to device", bytes,
                () -> SimBuffer.copy(from, fromOffset, to, toOffset, bytes));
    }

    @Override
    public void memset(DeviceMemory dst, int value) {
        ensureOpen();
        CopyChecks.memset(dst, value, device.platform());
        SimBuffer buffer = SimBuffer.of(dst);
        long offset = SimBuffer.offsetOf(dst);
        long bytes = dst.byteSize();
        engine.transfer(state, "memset of " + bytes + " bytes", bytes, () -> buffer.fill(offset, bytes, (byte) value));
    }

    /** Heap segments need no staging here: the simulator's memory is Java-reachable. */
    @Override
    public void copyAndWait(DeviceMemory dst, MemorySegment src) {
        ensureOpen();
        CopyChecks.checkDevice(dst, device.platform(), "destination");
        checkWaitedHost(src, "source");
        CopyChecks.checkSizes(dst.byteSize(), src.byteSize());
        SimBuffer buffer = SimBuffer.of(dst);
        long offset = SimBuffer.offsetOf(dst);
        engine.transfer(state, "copy of " + src.byteSize() + " bytes host to device", src.byteSize(),
                () -> buffer.write(offset, src));
        synchronize();
    }

    @Override
    public void copyAndWait(MemorySegment dst, DeviceMemory src) {
        ensureOpen();
        CopyChecks.checkDevice(src, device.platform(), "source");
        checkWaitedHost(dst, "destination");
        CopyChecks.checkSizes(dst.byteSize(), src.byteSize());
        SimBuffer buffer = SimBuffer.of(src);
        long offset = SimBuffer.offsetOf(src);
        engine.transfer(state, "copy of " + dst.byteSize() + " bytes device to host", dst.byteSize(),
                () -> buffer.read(offset, dst));
        synchronize();
    }

    @Override
    public void record(Event event) {
        ensureOpen();
        SimEvent sim = SimEvent.of(event, engine);
        if (sim.device() != device) { // cuEventRecord and hipEventRecord refuse it so
            throw HipException.of(HipError.INVALID_HANDLE, "hipEventRecord (the event belongs to device "
                    + sim.device().index() + "; it can be recorded only on a stream of that device, not on " + this + ")");
        }
        engine.record(state, sim.state());
    }

    @Override
    public void waitFor(Event event) {
        ensureOpen();
        engine.waitFor(state, SimEvent.of(event, engine).state());
    }

    @Override
    public boolean supportsMemoryWait() {
        return true;
    }

    @Override
    public void waitUntilEquals(DeviceMemory word, int value) {
        ensureOpen();
        CopyChecks.memoryWait(word, device);
        engine.waitUntilEquals(state, word.address(), value);
    }

    /**
     * The engine reads the word through the registration's mapping: closing the registration while
     * the wait holds the stream makes the read an illegal address, the device's sticky failure, and
     * ends the wait (as a GPU faults on memory unmapped under it), so nothing waits forever.
     */
    @Override
    public void waitUntilAtLeast(RegisteredHostMemory memory, long offset, int value) {
        ensureOpen();
        AbstractRegisteredHostMemory registered = HostMemoryChecks.wordWait(memory, offset, device);
        engine.waitUntilAtLeast(state, registered.deviceAddress() + offset, value);
    }

    @Override
    public void synchronize() {
        ensureOpen();
        engine.synchronize(state);
    }

    @Override
    public boolean isIdle() {
        ensureOpen();
        return engine.isIdle(state);
    }

    /** Marks the stream closed first, as the native close does: only the first call waits and may throw. */
    @Override
    public void close() {
        if (markClosed()) {
            engine.closeStream(state);
        }
    }

    private void checkWaitedHost(MemorySegment segment, String role) {
        Objects.requireNonNull(segment, role);
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException(role + " host memory segment is no longer alive");
        }
        if (segment.isReadOnly() && role.equals("destination")) {
            throw new IllegalArgumentException("destination host memory segment is read-only");
        }
        checkReachable(segment, role);
    }

    private void checkReachable(MemorySegment segment, String role) {
        if (!engine.canReachFromSimulation(segment)) {
            throw new IllegalArgumentException(role + " host memory is confined to another thread; the simulated "
                    + "device moves bytes on its own thread: use a PinnedBuffer's segment, or a shared or global arena");
        }
    }

    @Override
    public String toString() {
        return "SimStream[id=" + state.id + ", device=" + device.index() + ", priority=" + state.priority
                + (isOpen() ? "" : ", closed") + "]";
    }
}
