package dev.xsched.hip.internal.amd;

import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.internal.AbstractNativeStream;
import dev.xsched.hip.internal.NativeKernel;

import java.lang.foreign.MemorySegment;

import static dev.xsched.hip.internal.panama.hip.HipBindings.*;

/** A {@code hipStream_t}: the native calls behind {@link AbstractNativeStream}'s checks. */
final class AmdStream extends AbstractNativeStream {
    private static final int H2D = hipMemcpyHostToDevice();
    private static final int D2H = hipMemcpyDeviceToHost();
    private static final int D2D = hipMemcpyDeviceToDevice();

    AmdStream(AmdDevice device, MemorySegment handle, int priority, boolean owned) {
        super(device, handle, priority, owned);
    }

    @Override
    protected void issueLaunch(NativeKernel kernel, LaunchConfig config, MemorySegment params) {
        var grid = config.grid();
        var block = config.block();
        int rc = hipModuleLaunchKernel(kernel.handle(), grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(),
                config.sharedMemoryBytes(), handle(), params, MemorySegment.NULL);
        if (rc != HipCalls.SUCCESS) {
            // The message is built only on failure: the launch path allocates nothing.
            throw HipCalls.failure(rc, "hipModuleLaunchKernel(" + kernel.name() + ", grid=" + grid + ", block=" + block + ")");
        }
    }

    @Override
    protected void issueCopyToDevice(DeviceMemory dst, MemorySegment src) {
        HipCalls.check(hipMemcpyAsync(MemorySegment.ofAddress(dst.address()), src, src.byteSize(), H2D, handle()),
                "hipMemcpyAsync(HostToDevice, bytes=" + src.byteSize() + ")");
    }

    @Override
    protected void issueCopyToHost(MemorySegment dst, DeviceMemory src) {
        HipCalls.check(hipMemcpyAsync(dst, MemorySegment.ofAddress(src.address()), dst.byteSize(), D2H, handle()),
                "hipMemcpyAsync(DeviceToHost, bytes=" + dst.byteSize() + ")");
    }

    @Override
    protected void issueCopyOnDevice(DeviceMemory dst, DeviceMemory src) {
        HipCalls.check(hipMemcpyAsync(MemorySegment.ofAddress(dst.address()), MemorySegment.ofAddress(src.address()),
                src.byteSize(), D2D, handle()), "hipMemcpyAsync(DeviceToDevice, bytes=" + src.byteSize() + ")");
    }

    @Override
    protected void issueMemset(DeviceMemory dst, int value) {
        HipCalls.check(hipMemsetAsync(MemorySegment.ofAddress(dst.address()), value, dst.byteSize(), handle()),
                "hipMemsetAsync(value=" + value + ", bytes=" + dst.byteSize() + ")");
    }

    @Override
    protected void issueRecord(MemorySegment event) {
        HipCalls.check(hipEventRecord(event, handle()), "hipEventRecord");
    }

    @Override
    protected void issueWait(MemorySegment event) {
        HipCalls.check(hipStreamWaitEvent(handle(), event, 0), "hipStreamWaitEvent");
    }

    @Override
    protected void issueSynchronize() {
        HipCalls.check(hipStreamSynchronize(handle()), "hipStreamSynchronize");
    }

    @Override
    protected boolean queryIdle() {
        int rc = hipStreamQuery(handle());
        if (rc == HipCalls.NOT_READY) {
            return false;
        }
        HipCalls.check(rc, "hipStreamQuery");
        return true;
    }

    @Override
    protected void issueDestroy() {
        HipCalls.check(hipStreamDestroy(handle()), "hipStreamDestroy");
    }
}
