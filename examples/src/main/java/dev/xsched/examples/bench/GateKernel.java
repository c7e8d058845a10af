package dev.xsched.examples.bench;

import dev.xsched.hip.Device;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.sim.SimulatedPlatform;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A simulated kernel that runs until {@link #open()}: it gives a queue work for exactly as long as
 * a benchmark wants, whatever the machine's speed. Its body holds the simulator while it waits, so
 * launch the next one only after an open.
 */
final class GateKernel implements AutoCloseable {
    /** Permits enough for every launch a benchmark can make. */
    private static final int OPEN_FOR_GOOD = 1_000_000_000;

    private final Semaphore gate = new Semaphore(0);
    private final AtomicBoolean openedForGood = new AtomicBoolean();
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

    /** Lets every gate kernel launched so far, and any launched later, run to its end; once is enough. */
    void openForGood() {
        if (openedForGood.compareAndSet(false, true)) {
            gate.release(OPEN_FOR_GOOD);
        }
    }

    @Override
    public void close() {
        openForGood();
        sim.close();
    }
}
