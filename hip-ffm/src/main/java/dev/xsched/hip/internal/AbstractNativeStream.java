package dev.xsched.hip.internal;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.Event;
import dev.xsched.hip.HipException;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.RegisteredHostMemory;
import dev.xsched.hip.Stream;
import dev.xsched.hip.StreamWork;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * What the AMD and NVIDIA streams share: every command's checks, in the same order and with the
 * same messages on both platforms (open stream; non-null arguments; a kernel of this platform,
 * still loaded, on this stream's device; arguments matching its signature; no closed buffer
 * behind a pointer; copy sizes and host memory), then the thread preparation the platform needs,
 * then one native call that the subclass makes and checks. That call holds the stream (and the
 * kernel's module, or the event) open: a close on another thread waits for it to return before it
 * frees the handle ({@link OwnedResource}). The checks, which may call the caller's
 * {@link DeviceMemory}, run before.
 *
 * <p>The launch path allocates nothing: the checks read fields, the arguments go through the
 * calling thread's {@link KernelParamBuffer}, and a failure's message is built only when it
 * is thrown.
 */
public abstract class AbstractNativeStream extends OwnedResource implements Stream {
    private final AbstractNativeDevice device;
    private final MemorySegment handle;
    private final int priority;
    /** False for an adopted stream: closing it makes no native call. */
    private final boolean owned;

    protected AbstractNativeStream(AbstractNativeDevice device, MemorySegment handle, int priority, boolean owned) {
        super("stream");
        this.device = device;
        this.handle = handle;
        this.priority = priority;
        this.owned = owned;
    }

    /** Launches {@code kernel} (checked) with the kernel parameter array {@code params}. */
    protected abstract void issueLaunch(NativeKernel kernel, LaunchConfig config, MemorySegment params);

    protected abstract void issueCopyToDevice(DeviceMemory dst, MemorySegment src);

    protected abstract void issueCopyToHost(MemorySegment dst, DeviceMemory src);

    protected abstract void issueCopyOnDevice(DeviceMemory dst, DeviceMemory src);

    protected abstract void issueMemset(DeviceMemory dst, int value);

    protected abstract void issueRecord(MemorySegment event);

    protected abstract void issueWait(MemorySegment event);

    protected abstract void issueSynchronize();

    /** {@code hipStreamQuery} / {@code cuStreamQuery}: true when idle, false when not ready. */
    protected abstract boolean queryIdle();

    protected abstract void issueDestroy();

    /** The native stream, for the subclass's calls. */
    protected final MemorySegment handle() {
        return handle;
    }

    @Override
    public final Device device() {
        return device;
    }

    @Override
    public final int priority() {
        return priority;
    }

    @Override
    public final MemorySegment nativeHandle() {
        ensureOpen();
        return handle;
    }

    @Override
    public final boolean isAdopted() {
        return !owned;
    }

    @Override
    public final void launch(Kernel kernel, LaunchConfig config, KernelArgs args) {
        ensureOpen();
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(args, "args");
        NativeKernel nativeKernel = checkKernel(kernel);
        kernel.checkArgs(args);
        args.checkPointersUsableOn(device);
        MemorySegment params = KernelParamBuffer.fill(args);
        OwnedResource module = nativeKernel.module();
        enterUse();
        try {
            module.enterUse();
            try {
                device.bindCallingThread();
                issueLaunch(nativeKernel, config, params);
            } finally {
                module.exitUse();
            }
        } finally {
            exitUse();
        }
    }

    private NativeKernel checkKernel(Kernel kernel) {
        if (!(kernel instanceof NativeKernel nativeKernel) || nativeKernel.device().platform() != device.platform()) {
            throw new IllegalArgumentException("kernel " + kernel + " does not belong to the " + device.platformLabel()
                    + " platform");
        }
        if (!kernel.isLoaded()) {
            throw new IllegalStateException("the module of kernel " + kernel.name() + " is closed");
        }
        if (nativeKernel.device() != device) {
            throw new IllegalArgumentException("kernel " + kernel.name() + " was loaded on device "
                    + nativeKernel.device().index() + ", this stream is on device " + device.index());
        }
        return nativeKernel;
    }

    @Override
    public final void copy(DeviceMemory dst, MemorySegment src) {
        ensureOpen();
        CopyChecks.hostToDevice(dst, src, device.platform());
        issueHolding(held(dst, "destination"), null, () -> issueCopyToDevice(dst, src));
    }

    @Override
    public final void copy(MemorySegment dst, DeviceMemory src) {
        ensureOpen();
        CopyChecks.deviceToHost(dst, src, device.platform());
        issueHolding(held(src, "source"), null, () -> issueCopyToHost(dst, src));
    }

    @Override
    public final void copy(DeviceMemory dst, DeviceMemory src) {
        ensureOpen();
        CopyChecks.deviceToDevice(dst, src, device.platform());
        issueHolding(held(dst, "destination"), held(src, "source"), () -> issueCopyOnDevice(dst, src));
    }

    @Override
    public final void memset(DeviceMemory dst, int value) {
        ensureOpen();
        CopyChecks.memset(dst, value, device.platform());
        issueHolding(held(dst, "destination"), null, () -> issueMemset(dst, value));
    }

    /**
     * The library's buffer behind {@code memory}, for a command to hold open: a buffer of another
     * making could name any address and cannot be held, so it is refused.
     */
    private static AbstractDeviceBuffer held(DeviceMemory memory, String role) {
        if (memory.buffer() instanceof AbstractDeviceBuffer buffer) {
            return buffer;
        }
        throw new IllegalArgumentException(role + " " + memory + " is not memory of a buffer this library allocated");
    }

    /**
     * Issues a copy, memset or memory wait holding this stream and the buffers it names open
     * ({@code second} may be null or the first again): a close of one of them on another thread
     * frees it only after the driver has the command, and since a free waits for the device, the
     * command runs before the memory goes. (A launch checks its pointers open but does not hold
     * them, to keep the launch path at the driver's cost: closing a buffer while another thread
     * launches a kernel that names it is the caller's race, which the GPU may report as a fault.)
     */
    private void issueHolding(AbstractDeviceBuffer first, AbstractDeviceBuffer second, Runnable issue) {
        enterUse();
        try {
            first.enterUse();
            try {
                if (second != null) {
                    second.enterUse();
                }
                try {
                    device.bindCallingThread();
                    issue.run();
                } finally {
                    if (second != null) {
                        second.exitUse();
                    }
                }
            } finally {
                first.exitUse();
            }
        } finally {
            exitUse();
        }
    }

    /**
     * Holds the stream open while {@code work} enqueues itself with this stream's handle (a
     * library's call, as {@link dev.xsched.hip.blas.Blas}'s): a close on another thread destroys
     * the stream only after the work's calls returned. The work must not close this stream.
     */
    @Override
    public final void enqueue(StreamWork work) {
        Objects.requireNonNull(work, "work");
        enterUse();
        try {
            work.enqueue(this);
        } finally {
            exitUse();
        }
    }

    @Override
    public final void record(Event event) {
        issueEventCommand(event, true);
    }

    @Override
    public final void waitFor(Event event) {
        issueEventCommand(event, false);
    }

    /** Records {@code event}, or makes the stream wait for it, holding both open for the call. */
    private void issueEventCommand(Event event, boolean record) {
        ensureOpen();
        AbstractNativeEvent nativeEvent = AbstractNativeEvent.checked(event, device);
        enterUse();
        try {
            nativeEvent.enterUse();
            try {
                device.bindCallingThread();
                if (record) {
                    issueRecord(nativeEvent.handle());
                } else {
                    issueWait(nativeEvent.handle());
                }
            } finally {
                nativeEvent.exitUse();
            }
        } finally {
            exitUse();
        }
    }

    @Override
    public final boolean supportsMemoryWait() {
        return memoryWaitSupported();
    }

    @Override
    public final void waitUntilEquals(DeviceMemory word, int value) {
        ensureOpen();
        if (!memoryWaitSupported()) {
            Stream.super.waitUntilEquals(word, value); // throws, saying why
        }
        CopyChecks.memoryWait(word, device);
        issueHolding(held(word, "word"), null, () -> issueWaitUntilEquals(word, value));
    }

    /** Whether the platform's streams can wait for a word of device memory; false unless overridden. */
    protected boolean memoryWaitSupported() {
        return false;
    }

    /** Called only where {@link #memoryWaitSupported()}: the native wait for {@code word == value}. */
    protected void issueWaitUntilEquals(DeviceMemory word, int value) {
        throw new UnsupportedOperationException("no memory wait on " + device.platformLabel());
    }

    /**
     * Holds both the stream and the registration open for the native call, as an event command
     * holds its event: a close of the registration on another thread unregisters only after the
     * driver has the wait. (That the wait then completes before the unregistration is the caller's
     * part of the contract.)
     */
    @Override
    public final void waitUntilAtLeast(RegisteredHostMemory memory, long offset, int value) {
        ensureOpen();
        if (!memoryWaitSupported() || !device.supportsHostRegistration()) {
            Stream.super.waitUntilAtLeast(memory, offset, value); // throws, saying why
        }
        AbstractRegisteredHostMemory registered = HostMemoryChecks.wordWait(memory, offset, device);
        // Read before the use begins: deviceAddress() throws once a close has begun, so a close
        // racing this call fails it here, as a closed registration does, and never under the use.
        long address = registered.deviceAddress() + offset;
        enterUse();
        try {
            registered.enterUse();
            try {
                device.bindCallingThread();
                issueWaitUntilAtLeast(address, value);
            } finally {
                registered.exitUse();
            }
        } finally {
            exitUse();
        }
    }

    /**
     * Called only where {@link #memoryWaitSupported()} and the device registers host memory: the
     * native wait for the word at device address {@code address} to reach {@code value} in
     * wrap-around order.
     */
    protected void issueWaitUntilAtLeast(long address, int value) {
        throw new UnsupportedOperationException("no wait on host memory on " + device.platformLabel());
    }

    /** Holds the stream open while it waits: a close from another thread waits for the wait to end. */
    @Override
    public final void synchronize() {
        enterUse();
        try {
            device.bindCallingThread();
            issueSynchronize();
        } finally {
            exitUse();
        }
    }

    @Override
    public final boolean isIdle() {
        enterUse();
        try {
            device.bindCallingThread();
            return queryIdle();
        } finally {
            exitUse();
        }
    }

    /**
     * Waits for an owned stream's commands, then destroys it: the drivers' destroy calls may return
     * at once and free the stream later, while the API promises that close waits. The stream is
     * destroyed even when the wait fails (a faulted kernel), and the wait's error is thrown, with
     * the destroy's attached. An adopted stream stays its maker's: closing it makes no native call.
     * Calls on the stream in progress on other threads end before the wait begins.
     */
    @Override
    public final void close() {
        if (!markClosed() || !owned) {
            return;
        }
        // Whatever the bind or the wait throws, the stream is destroyed: a skipped destroy leaks it.
        Throwable waitFailure = null;
        try {
            device.bindCallingThread();
            issueSynchronize();
        } catch (RuntimeException | Error e) {
            waitFailure = e;
        }
        try {
            issueDestroy();
        } catch (RuntimeException | Error e) {
            if (waitFailure == null) {
                throw e;
            }
            waitFailure.addSuppressed(e);
        }
        if (waitFailure instanceof RuntimeException e) {
            throw e;
        }
        if (waitFailure instanceof Error e) {
            throw e;
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[device=" + device.index() + ", priority=" + priority
                + (owned ? "" : ", adopted") + (isOpen() ? "" : ", closed") + "]";
    }
}
