package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.Device;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.internal.NativeKernel;

import java.lang.foreign.MemorySegment;
import java.util.List;

/** A {@code CUfunction} of a loaded module, with the signature its caller declared. */
record NvidiaKernel(NvidiaModule module, String name, List<ParamType> signature, MemorySegment handle) implements NativeKernel {
    @Override
    public Device device() {
        return module.device();
    }

    @Override
    public boolean isLoaded() {
        return module.isOpen();
    }

    @Override
    public String toString() {
        return "NvidiaKernel[" + name + signature + "]";
    }
}
