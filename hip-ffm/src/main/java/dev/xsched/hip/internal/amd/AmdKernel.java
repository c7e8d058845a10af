package dev.xsched.hip.internal.amd;

import dev.xsched.hip.Kernel;
import dev.xsched.hip.ParamType;

import java.lang.foreign.MemorySegment;
import java.util.List;

record AmdKernel(AmdModule module, String name, List<ParamType> signature, MemorySegment handle) implements Kernel {
    @Override
    public boolean isLoaded() {
        return module.isOpen();
    }

    @Override
    public String toString() {
        return "AmdKernel[" + name + signature + "]";
    }
}
