package dev.xsched.hip.internal.amd;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.Event;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.Stream;
import dev.xsched.hip.internal.CopyChecks;
import dev.xsched.hip.internal.KernelParamBuffer;
import dev.xsched.hip.internal.OwnedResource;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import static dev.xsched.hip.internal.panama.hip.HipBindings.*;

final class AmdStream extends OwnedResource implements Stream {
    private static final int H2D = hipMemcpyHostToDevice();
    private static final int D2H = hipMemcpyDeviceToHost();
    private static final int D2D = hipMemcpyDeviceToDevice();

    private final AmdDevice device;
    private final MemorySegment handle;
    private final int priority;
    /** False for an adopted stream: closing it makes no native call. */
    private final boolean owned;

    AmdStream(AmdDevice device, MemorySegment handle, int priority, boolean owned) {
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
        Objects.requireNonNull(config, "config");
        if (!(kernel instanceof AmdKernel amdKernel)) {
            throw new IllegalArgumentException("kernel " + kernel + " does not belong to the AMD platform");
        }
        if (!amdKernel.isLoaded()) {
            throw new IllegalStateException("the module of kernel " + kernel.name() + " is closed");
        }
        kernel.checkArgs(args);
        args.checkPointersOpen();
        var grid = config.grid();
        var block = config.block();
        int rc = hipModuleLaunchKernel(amdKernel.handle(), grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(),
                config.sharedMemoryBytes(), handle, KernelParamBuffer.fill(args), MemorySegment.NULL);
        if (rc != HipCalls.SUCCESS) {
            throw HipCalls.failure(rc, "hipModuleLaunchKernel(" + kernel.name() + ", grid=" + grid + ", block=" + block + ")");
        }
    }

    @Override
    public void copy(DeviceMemory dst, MemorySegment src) {
        ensureOpen();
        CopyChecks.hostToDevice(dst, src, device.platform());
        HipCalls.check(hipMemcpyAsync(MemorySegment.ofAddress(dst.address()), src, src.byteSize(), H2D, handle),
                "hipMemcpyAsync(HostToDevice, bytes=" + src.byteSize() + ")");
    }

    @Override
    public void copy(MemorySegment dst, DeviceMemory src) {
        ensureOpen();
        CopyChecks.deviceToHost(dst, src, device.platform());
        HipCalls.check(hipMemcpyAsync(dst, MemorySegment.ofAddress(src.address()), dst.byteSize(), D2H, handle),
                "hipMemcpyAsync(DeviceToHost, bytes=" + dst.byteSize() + ")");
    }

    @Override
    public void copy(DeviceMemory dst, DeviceMemory src) {
        ensureOpen();
        CopyChecks.deviceToDevice(dst, src, device.platform());
        HipCalls.check(hipMemcpyAsync(MemorySegment.ofAddress(dst.address()), MemorySegment.ofAddress(src.address()),
                src.byteSize(), D2D, handle), "hipMemcpyAsync(DeviceToDevice, bytes=" + src.byteSize() + ")");
    }

    @Override
    public void memset(DeviceMemory dst, int value) {
        ensureOpen();
        CopyChecks.memset(dst, value, device.platform());
        HipCalls.check(hipMemsetAsync(MemorySegment.ofAddress(dst.address()), value, dst.byteSize(), handle),
                "hipMemsetAsync(value=" + value + ", bytes=" + dst.byteSize() + ")");
    }

    @Override
    public void record(Event event) {
        ensureOpen();
        HipCalls.check(hipEventRecord(AmdEvent.handleOf(event), handle), "hipEventRecord");
    }

    @Override
    public void waitFor(Event event) {
        ensureOpen();
        HipCalls.check(hipStreamWaitEvent(handle, AmdEvent.handleOf(event), 0), "hipStreamWaitEvent");
    }

    @Override
    public void synchronize() {
        ensureOpen();
        HipCalls.check(hipStreamSynchronize(handle), "hipStreamSynchronize");
    }

    @Override
    public boolean isIdle() {
        ensureOpen();
        int rc = hipStreamQuery(handle);
        if (rc == HipCalls.NOT_READY) {
            return false;
        }
        HipCalls.check(rc, "hipStreamQuery");
        return true;
    }

    /** Destroys an owned stream; an adopted one stays its maker's (no native call). */
    @Override
    public void close() {
        if (markClosed() && owned) {
            HipCalls.check(hipStreamDestroy(handle), "hipStreamDestroy");
        }
    }

    @Override
    public String toString() {
        return "AmdStream[device=" + device.index() + ", priority=" + priority + (owned ? "" : ", adopted")
                + (isOpen() ? "" : ", closed") + "]";
    }
}
