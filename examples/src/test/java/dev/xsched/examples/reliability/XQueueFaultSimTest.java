package dev.xsched.examples.reliability;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;

/**
 * {@link FaultScenario} on the simulator, in CI: the kernel's body writes through the address it
 * is given, and an address no live buffer holds becomes the device's sticky illegal-address
 * failure, as on a GPU.
 */
class XQueueFaultSimTest {
    @Test
    void aKernelFaultInOneQueueIsReportedEverywhereAndNothingHangs() throws InterruptedException {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().realTime().defaultBlockDuration(java.time.Duration.ofNanos(20_000))
                .kernelBody("write_at", (config, args, memory) ->
                        memory.segmentAt(args.bits(0) + 4 * args.bits(1)).set(ValueLayout.JAVA_INT, 0, 42))
                .build()) {
            Device gpu = sim.device(0);
            try (HipModule module = gpu.loadModule(gpu.compiler().compile("write_at.hip", FaultScenario.WRITE_AT));
                 DeviceBuffer target = gpu.allocate(4)) {
                FaultScenario.run(gpu, module.function("write_at", ParamType.POINTER, ParamType.LONG), target);
            }
        }
    }
}
