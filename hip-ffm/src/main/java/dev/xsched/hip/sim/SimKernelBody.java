package dev.xsched.hip.sim;

import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;

/**
 * What a simulated kernel does to device memory, written in Java. Registered by kernel name with
 * {@link SimulatedPlatform.Builder#kernelBody}; it runs exactly once per launch, at the instant the
 * launch's last block completes, before the next command of the stream starts. So a later copy on
 * the same stream sees its writes, and a test can observe that every launch ran once and in order.
 * A {@linkplain dev.xsched.hip.YieldableKernels yieldable} launch whose blocks stopped early does
 * not run it: the relaunch that finishes the last block does, once for the logical launch.
 *
 * <p>It runs with the simulator's lock held, on the thread that moves the simulation (a caller of
 * the platform, or in real time the engine thread): keep it short, and do not
 * call the platform from it (streams, events, devices throw {@link IllegalStateException}); only
 * the {@link SimMemory} it is given may be used. An exception it throws becomes an asynchronous
 * launch failure, reported as a {@link dev.xsched.hip.HipException} by the next call on the device.
 */
@FunctionalInterface
public interface SimKernelBody {
    /**
     * Executes the whole launch.
     *
     * @param config the grid and block it was launched with
     * @param args   its arguments; a pointer argument's {@link KernelArgs#bits} is a device address
     * @param memory the device memory of the platform, addressed by those pointers
     */
    void run(LaunchConfig config, KernelArgs args, SimMemory memory);
}
