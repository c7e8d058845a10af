package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.Event;
import dev.xsched.hip.HipException;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.Stream;
import dev.xsched.hip.internal.CopyChecks;
import dev.xsched.hip.internal.KernelParamBuffer;
import dev.xsched.hip.internal.OwnedResource;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import static dev.xsched.hip.internal.panama.cuda.CudaBindings.*;

/** A non-blocking {@code CUstream} with a priority. Every command makes the device's context current first. */
final class NvidiaStream extends OwnedResource implements Stream {
    private final NvidiaDevice device;
    private final MemorySegment handle;
    private final int priority;
    /** False for an adopted stream: closing it makes no native call. */
    private final boolean owned;

    NvidiaStream(NvidiaDevice device, MemorySegment handle, int priority, boolean owned) {
        super("stream");
        this.device = device;
        this.handle = handle;
        this.priority = priority;
        this.owned = owned;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public MemorySegment nativeHandle() {
        ensureOpen();
        return handle;
    }

    @Override
    public boolean isAdopted() {
        return !owned;
    }

    @Override
    public void launch(Kernel kernel, LaunchConfig config, KernelArgs args) {
        ensureOpen();
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(args, "args");
        if (!(kernel instanceof NvidiaKernel nvidiaKernel)) {
            throw new IllegalArgumentException("kernel " + kernel + " does not belong to the NVIDIA platform");
        }
        if (!nvidiaKernel.isLoaded()) {
            throw new IllegalStateException("the module of kernel " + kernel.name() + " is closed");
        }
        if (nvidiaKernel.module().device() != device) {
            throw new IllegalArgumentException("kernel " + kernel.name() + " was loaded on device "
                    + nvidiaKernel.module().device().index() + ", this stream is on device " + device.index());
        }
        kernel.checkArgs(args);
        args.checkPointersOpen();
        device.makeCurrent();
        var grid = config.grid();
        var block = config.block();
        int rc = cuLaunchKernel(nvidiaKernel.handle(), grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(),
                config.sharedMemoryBytes(), handle, KernelParamBuffer.fill(args), MemorySegment.NULL);
        if (rc != CudaCalls.SUCCESS) {
            // The message is built only on failure: the launch path allocates nothing.
            throw CudaCalls.failure(rc, "cuLaunchKernel(" + kernel.name() + ", grid=" + grid + ", block=" + block + ")");
        }
    }

    @Override
    public void copy(DeviceMemory dst, MemorySegment src) {
        ensureOpen();
        CopyChecks.hostToDevice(dst, src, device.platform());
        device.makeCurrent();
        CudaCalls.check(cuMemcpyHtoDAsync_v2(dst.address(), src, src.byteSize(), handle),
                "cuMemcpyHtoDAsync(bytes=" + src.byteSize() + ")");
    }

    @Override
    public void copy(MemorySegment dst, DeviceMemory src) {
        ensureOpen();
        CopyChecks.deviceToHost(dst, src, device.platform());
        device.makeCurrent();
        CudaCalls.check(cuMemcpyDtoHAsync_v2(dst, src.address(), dst.byteSize(), handle),
                "cuMemcpyDtoHAsync(bytes=" + dst.byteSize() + ")");
    }

    @Override
    public void copy(DeviceMemory dst, DeviceMemory src) {
        ensureOpen();
        CopyChecks.deviceToDevice(dst, src, device.platform());
        device.makeCurrent();
        CudaCalls.check(cuMemcpyDtoDAsync_v2(dst.address(), src.address(), src.byteSize(), handle),
                "cuMemcpyDtoDAsync(bytes=" + src.byteSize() + ")");
    }

    @Override
    public void memset(DeviceMemory dst, int value) {
        ensureOpen();
        CopyChecks.memset(dst, value, device.platform());
        device.makeCurrent();
        CudaCalls.check(cuMemsetD8Async(dst.address(), (byte) value, dst.byteSize(), handle),
                "cuMemsetD8Async(value=" + value + ", bytes=" + dst.byteSize() + ")");
    }

    @Override
    public void record(Event event) {
        ensureOpen();
        MemorySegment eventHandle = NvidiaEvent.handleOf(event);
        device.makeCurrent();
        CudaCalls.check(cuEventRecord(eventHandle, handle), "cuEventRecord");
    }

    @Override
    public void waitFor(Event event) {
        ensureOpen();
        MemorySegment eventHandle = NvidiaEvent.handleOf(event);
        device.makeCurrent();
        CudaCalls.check(cuStreamWaitEvent(handle, eventHandle, 0), "cuStreamWaitEvent");
    }

    @Override
    public void synchronize() {
        ensureOpen();
        device.makeCurrent();
        CudaCalls.check(cuStreamSynchronize(handle), "cuStreamSynchronize");
    }

    @Override
    public boolean isIdle() {
        ensureOpen();
        device.makeCurrent();
        int rc = cuStreamQuery(handle);
        if (rc == CudaCalls.NOT_READY) {
            return false;
        }
        CudaCalls.check(rc, "cuStreamQuery");
        return true;
    }

    /**
     * Waits for the stream's commands, then destroys it: {@code cuStreamDestroy} alone returns at
     * once and frees the stream later, while the API promises that close waits. The stream is
     * destroyed even when the wait fails (a faulted kernel), and the wait's error is thrown. An
     * adopted stream stays its maker's: closing it makes no native call.
     */
    @Override
    public void close() {
        if (!markClosed() || !owned) {
            return;
        }
        device.makeCurrent();
        int syncRc = cuStreamSynchronize(handle);
        int destroyRc = cuStreamDestroy_v2(handle);
        if (syncRc != CudaCalls.SUCCESS) {
            HipException failure = CudaCalls.failure(syncRc, "cuStreamSynchronize (closing the stream)");
            if (destroyRc != CudaCalls.SUCCESS) {
                failure.addSuppressed(CudaCalls.failure(destroyRc, "cuStreamDestroy"));
            }
            throw failure;
        }
        CudaCalls.check(destroyRc, "cuStreamDestroy");
    }

    @Override
    public String toString() {
        return "NvidiaStream[device=" + device.index() + ", priority=" + priority + (owned ? "" : ", adopted")
                + (isOpen() ? "" : ", closed") + "]";
    }
}
