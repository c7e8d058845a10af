package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.internal.AbstractNativeStream;
import dev.xsched.hip.internal.NativeKernel;

import java.lang.foreign.MemorySegment;

import static dev.xsched.hip.internal.panama.cuda.CudaBindings.*;

/**
 * A non-blocking {@code CUstream}: the native calls behind {@link AbstractNativeStream}'s checks,
 * which make the device's primary context current first.
 */
final class NvidiaStream extends AbstractNativeStream {
    NvidiaStream(NvidiaDevice device, MemorySegment handle, int priority, boolean owned) {
        super(device, handle, priority, owned);
    }

    @Override
    protected void issueLaunch(NativeKernel kernel, LaunchConfig config, MemorySegment params) {
        var grid = config.grid();
        var block = config.block();
        int rc = cuLaunchKernel(kernel.handle(), grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(),
                config.sharedMemoryBytes(), handle(), params, MemorySegment.NULL);
        if (rc != CudaCalls.SUCCESS) {
            // The message is built only on failure: the launch path allocates nothing.
            throw CudaCalls.failure(rc, "cuLaunchKernel(" + kernel.name() + ", grid=" + grid + ", block=" + block + ")");
        }
    }

    @Override
    protected void issueCopyToDevice(DeviceMemory dst, MemorySegment src) {
        CudaCalls.check(cuMemcpyHtoDAsync_v2(dst.address(), src, src.byteSize(), handle()),
                "cuMemcpyHtoDAsync(bytes=" + src.byteSize() + ")");
    }

    @Override
    protected void issueCopyToHost(MemorySegment dst, DeviceMemory src) {
        CudaCalls.check(cuMemcpyDtoHAsync_v2(dst, src.address(), dst.byteSize(), handle()),
                "cuMemcpyDtoHAsync(bytes=" + dst.byteSize() + ")");
    }

    @Override
    protected void issueCopyOnDevice(DeviceMemory dst, DeviceMemory src) {
        CudaCalls.check(cuMemcpyDtoDAsync_v2(dst.address(), src.address(), src.byteSize(), handle()),
                "cuMemcpyDtoDAsync(bytes=" + src.byteSize() + ")");
    }

    @Override
    protected void issueMemset(DeviceMemory dst, int value) {
        CudaCalls.check(cuMemsetD8Async(dst.address(), (byte) value, dst.byteSize(), handle()),
                "cuMemsetD8Async(value=" + value + ", bytes=" + dst.byteSize() + ")");
    }

    @Override
    protected void issueRecord(MemorySegment event) {
        CudaCalls.check(cuEventRecord(event, handle()), "cuEventRecord");
    }

    @Override
    protected void issueWait(MemorySegment event) {
        CudaCalls.check(cuStreamWaitEvent(handle(), event, 0), "cuStreamWaitEvent");
    }

    @Override
    protected boolean memoryWaitSupported() {
        return true; // the V2 stream memory operations need no driver option (CUDA 11.7 and later)
    }

    @Override
    protected void issueWaitUntilEquals(DeviceMemory word, int value) {
        CudaCalls.check(cuStreamWaitValue32_v2(handle(), word.address(), value, CU_STREAM_WAIT_VALUE_EQ()),
                "cuStreamWaitValue32(value=" + value + ", EQ)");
    }

    /**
     * GEQ compares in wrap-around order, {@code (int32_t) (word - value) >= 0}: a counter that
     * overflows past {@code Integer.MAX_VALUE} keeps releasing the waits behind it.
     */
    @Override
    protected void issueWaitUntilAtLeast(long address, int value) {
        CudaCalls.check(cuStreamWaitValue32_v2(handle(), address, value, CU_STREAM_WAIT_VALUE_GEQ()),
                "cuStreamWaitValue32(value=" + value + ", GEQ)");
    }

    @Override
    protected void issueSynchronize() {
        CudaCalls.check(cuStreamSynchronize(handle()), "cuStreamSynchronize");
    }

    @Override
    protected boolean queryIdle() {
        int rc = cuStreamQuery(handle());
        if (rc == CudaCalls.NOT_READY) {
            return false;
        }
        CudaCalls.check(rc, "cuStreamQuery");
        return true;
    }

    @Override
    protected void issueDestroy() {
        CudaCalls.check(cuStreamDestroy_v2(handle()), "cuStreamDestroy");
    }
}
