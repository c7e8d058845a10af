package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.internal.OwnedResource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;

import static dev.xsched.hip.internal.panama.cuda.CudaBindings.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** A cubin or PTX image loaded with {@code cuModuleLoadData} (the driver JIT-compiles PTX). */
final class NvidiaModule extends OwnedResource implements HipModule {
    private final NvidiaDevice device;
    private final MemorySegment handle;
    private final String target;

    private NvidiaModule(NvidiaDevice device, MemorySegment handle, String target) {
        super("module");
        this.device = device;
        this.handle = handle;
        this.target = target;
    }

    static NvidiaModule load(NvidiaDevice device, CodeObject code) {
        try (Arena arena = Arena.ofConfined()) {
            byte[] bytes = code.bytes();
            // PTX is text and cuModuleLoadData reads it up to its NUL; a cubin (ELF) carries its size.
            MemorySegment image = arena.allocate(bytes.length + 1L, 16);
            image.copyFrom(MemorySegment.ofArray(bytes));
            image.set(JAVA_BYTE, bytes.length, (byte) 0);
            MemorySegment out = arena.allocate(ADDRESS);
            CudaCalls.check(cuModuleLoadData(out, image), "cuModuleLoadData(" + code + ")");
            return new NvidiaModule(device, out.get(ADDRESS, 0), code.target());
        }
    }

    NvidiaDevice device() {
        return device;
    }

    @Override
    public Kernel function(String name, ParamType... signature) {
        ensureOpen();
        Objects.requireNonNull(name, "name");
        List<ParamType> params = List.of(signature);
        enterUse(); // a close on another thread waits for the lookup before it unloads
        try {
            device.makeCurrent();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(ADDRESS);
                CudaCalls.check(cuModuleGetFunction(out, handle, arena.allocateFrom(name)), "cuModuleGetFunction(" + name + ")");
                MemorySegment function = out.get(ADDRESS, 0);
                CompiledParameters.check(name, params, function);
                return new NvidiaKernel(this, name, params, function);
            }
        } finally {
            exitUse();
        }
    }

    @Override
    public void close() {
        if (markClosed()) {
            device.deviceWideCalls().run(() -> { // an unload waits for everything on the device
                device.makeCurrent();
                CudaCalls.check(cuModuleUnload(handle), "cuModuleUnload");
            });
        }
    }

    @Override
    public String toString() {
        return "NvidiaModule[device=" + device.index() + ", target=" + target + (isOpen() ? "" : ", closed") + "]";
    }
}
