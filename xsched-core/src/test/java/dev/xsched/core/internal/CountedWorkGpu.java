package dev.xsched.core.internal;

import dev.xsched.hip.Device;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.sim.KernelCostModel;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.hip.sim.VirtualClock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulated GPU in virtual time for tests of a gated queue's close: 4 compute units without
 * hardware priorities, and one kernel, {@code work(int)}, whose every launch lasts 10 ms and
 * counts itself in {@link #ran} when it runs.
 */
final class CountedWorkGpu implements AutoCloseable {
    static final long MS = 1_000_000;

    final AtomicInteger ran = new AtomicInteger();
    final SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(4).hardwarePriority(false)
            .costModel(KernelCostModel.fixed(Duration.ofMillis(10)))
            .kernelBody("work", (config, args, memory) -> ran.incrementAndGet()).build();
    final VirtualClock clock = sim.virtualClock();
    final Device gpu = sim.device(0);
    private final HipModule module = gpu.loadModule(gpu.compiler().compile("work.hip",
            "extern \"C\" __global__ void work(int n) { }"));
    final Kernel work = module.function("work", ParamType.INT);

    @Override
    public void close() {
        module.close();
        sim.close();
    }
}
