package dev.xsched.hip.internal.sim;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.internal.OwnedResource;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A loaded {@link SimCodeObject}: the kernel names it declares. */
public final class SimModule extends OwnedResource implements HipModule {
    private final SimDevice device;
    private final Set<String> kernels;
    private final Set<String> yieldable;

    private SimModule(SimDevice device, SimCodeObject.Kernels kernels) {
        super("module");
        this.device = device;
        this.kernels = Set.copyOf(kernels.names());
        this.yieldable = kernels.yieldable();
    }

    static SimModule load(SimDevice device, CodeObject code) {
        return new SimModule(device, SimCodeObject.kernelsOf(code));
    }

    SimDevice device() {
        return device;
    }

    @Override
    public Kernel function(String name, ParamType... signature) {
        ensureOpen();
        Objects.requireNonNull(name, "name");
        List<ParamType> params = List.of(signature);
        if (!kernels.contains(name)) {
            throw HipException.of(HipError.NOT_FOUND, "hipModuleGetFunction(" + name + ") [simulated module with "
                    + kernels.stream().sorted().toList() + "]");
        }
        return new SimKernel(this, name, params, -1, yieldable.contains(name), false);
    }

    /** Unloads, waiting as a device-wide call ({@link SimDevice}); only the first call does anything. */
    @Override
    public void close() {
        if (markClosed()) {
            device.deviceWideCalls().run(() -> device.afterHostWaits("hipModuleUnload", () -> { }));
        }
    }

    @Override
    public String toString() {
        return "SimModule[device=" + device.index() + ", kernels=" + kernels.stream().sorted().toList()
                + (isOpen() ? "" : ", closed") + "]";
    }
}
