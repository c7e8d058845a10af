package dev.xsched.hip.internal.amd;

import dev.xsched.hip.Device;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.internal.NativeKernel;

import java.lang.foreign.MemorySegment;
import java.util.List;

record AmdKernel(AmdModule module, String name, List<ParamType> signature, MemorySegment handle) implements NativeKernel {
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
        return "AmdKernel[" + name + signature + "]";
    }
}
