package dev.xsched.hip.internal;

import dev.xsched.hip.Device;
import dev.xsched.hip.Kernel;

import java.lang.foreign.MemorySegment;

/** A kernel of a native platform: the device its module was loaded on, and its function handle. */
public interface NativeKernel extends Kernel {
    /** The device whose module holds this kernel; only its streams can launch it. */
    Device device();

    /** {@code hipFunction_t} or {@code CUfunction}. */
    MemorySegment handle();

    /** The loaded module that owns {@link #handle()}: a launch holds it open while it runs. */
    OwnedResource module();
}
