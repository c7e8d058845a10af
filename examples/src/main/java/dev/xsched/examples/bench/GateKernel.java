package dev.xsched.examples.bench;

import dev.xsched.hip.Device;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.sim.SimulatedPlatform;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * A simulated kernel that runs until {@link #open()}: it gives a queue work for exactly as long as
 * a benchmark wants, whatever the machine's speed. Its body holds the simulator while it waits, so
 * launch the next one only after an open.
 */
final class GateKernel implements AutoCloseable {
    private final Semaphore gate = new Semaphore(0);
    private final SimulatedPlatform sim;
    private final Kernel kernel;

    GateKernel() {
        sim = SimulatedPlatform.builder().realTime().kernelBody("gate", (config, args, memory) -> gate.acquireUninterruptibly())
                .build();
        Device gpu = sim.device(0);
        kernel = SimulatedPlatform.withBlockDuration(gpu.loadModule(gpu.compiler()
                .compile("gate.hip", "extern \"C\" __global__ void gate() { }")).function("gate"), Duration.ofNanos(1_000));
    }

    Device device() {
        return sim.device(0);
    }

    void launchOn(dev.xsched.hip.CommandQueue queue) {
        queue.launch(kernel, LaunchConfig.of(1, 1), KernelArgs.builder().build());
    }

    void open() {
        gate.release();
    }

    @Override
    public void close() {
        gate.release(1_000_000);
        sim.close();
    }
}
