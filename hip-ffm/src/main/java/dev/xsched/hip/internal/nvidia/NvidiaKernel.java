package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.Kernel;
import dev.xsched.hip.ParamType;

import java.lang.foreign.MemorySegment;
import java.util.List;

/** A {@code CUfunction} of a loaded module, with the signature its caller declared. */
record NvidiaKernel(NvidiaModule module, String name, List<ParamType> signature, MemorySegment handle) implements Kernel {
    @Override
    public boolean isLoaded() {
        return module.isOpen();
    }

    @Override
    public String toString() {
        return "NvidiaKernel[" + name + signature + "]";
    }
}
