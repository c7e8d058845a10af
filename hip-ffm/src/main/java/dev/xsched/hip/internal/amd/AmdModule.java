package dev.xsched.hip.internal.amd;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.internal.OwnedResource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;

import static dev.xsched.hip.internal.panama.hip.HipBindings.*;
import static java.lang.foreign.ValueLayout.ADDRESS;

final class AmdModule extends OwnedResource implements HipModule {
    private final AmdDevice device;
    private final MemorySegment handle;
    private final String target;

    private AmdModule(AmdDevice device, MemorySegment handle, String target) {
        super("module");
        this.device = device;
        this.handle = handle;
        this.target = target;
    }

    static AmdModule load(AmdDevice device, CodeObject code) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment image = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, code.bytes());
            MemorySegment out = arena.allocate(ADDRESS);
            HipCalls.check(hipModuleLoadData(out, image), "hipModuleLoadData(" + code + ")");
            return new AmdModule(device, out.get(ADDRESS, 0), code.target());
        }
    }

    AmdDevice device() {
        return device;
    }

    @Override
    public Kernel function(String name, ParamType... signature) {
        ensureOpen();
        Objects.requireNonNull(name, "name");
        List<ParamType> params = List.of(signature);
        enterUse(); // a close on another thread waits for the lookup before it unloads
        try {
            // The lookup runs against the calling thread's current device, which another device's
            // call may have changed since the load (ROCm 5 aborts the process on a mismatch).
            device.makeCurrent();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(ADDRESS);
                HipCalls.check(hipModuleGetFunction(out, handle, arena.allocateFrom(name)), "hipModuleGetFunction(" + name + ")");
                return new AmdKernel(this, name, params, out.get(ADDRESS, 0));
            }
        } finally {
            exitUse();
        }
    }

    @Override
    public void close() {
        if (markClosed()) {
            // An unload waits for everything on the device.
            device.deviceWideCalls().run(() -> HipCalls.check(hipModuleUnload(handle), "hipModuleUnload"));
        }
    }

    @Override
    public String toString() {
        return "AmdModule[device=" + device.index() + ", target=" + target + (isOpen() ? "" : ", closed") + "]";
    }
}
