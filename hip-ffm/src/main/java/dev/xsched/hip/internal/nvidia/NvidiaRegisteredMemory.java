package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.internal.AbstractRegisteredHostMemory;

import java.lang.foreign.MemorySegment;

import static dev.xsched.hip.internal.panama.cuda.CudaBindings.cuMemHostUnregister;

/**
 * The caller's host memory, page-locked and mapped by {@code cuMemHostRegister}; closing it calls
 * {@code cuMemHostUnregister}, which unpins the pages and frees nothing.
 */
final class NvidiaRegisteredMemory extends AbstractRegisteredHostMemory {
    private final NvidiaDevice device;

    NvidiaRegisteredMemory(NvidiaDevice device, MemorySegment memory, long deviceAddress) {
        super(device, device.deviceWideCalls(), memory, deviceAddress);
        this.device = device;
    }

    @Override
    protected void unregister() {
        device.makeCurrent();
        CudaCalls.check(cuMemHostUnregister(hostPointer()), "cuMemHostUnregister(bytes=" + byteSize() + ")");
    }
}
