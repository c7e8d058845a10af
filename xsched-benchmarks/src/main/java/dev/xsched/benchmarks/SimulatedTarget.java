package dev.xsched.benchmarks;

import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.hip.CodeObject;
import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.Stream;
import dev.xsched.hip.YieldableKernels;
import dev.xsched.hip.sim.SimulatedPlatform;

import java.time.Duration;

/**
 * What the benchmarks submit to: a zero-length kernel of the simulated platform (real time), and
 * either its stream ({@code stream}, the baseline) or an XQueue over that stream under a running
 * scheduler with the pass-through policy ({@code xqueue}). A yieldable twin of the kernel too:
 * the XQueue launches it as a yieldable launch (stop flag, state and record managed by the queue),
 * the stream as the plain launch it is when nothing manages it ({@link YieldableKernels#unmanaged}).
 */
final class SimulatedTarget implements AutoCloseable {
    private static final String SOURCE = YieldableKernels.PRELUDE + """
            extern "C" __global__ void empty(int tag) { }
            extern "C" __global__ void empty_yieldable(int tag, XSCHED_YIELD_PARAMS) { }
            """;

    private final SimulatedPlatform platform;
    private final HipModule module;
    private final Stream stream;
    private final XScheduler scheduler;
    final Kernel kernel;
    final Kernel yieldableKernel;
    final LaunchConfig config = LaunchConfig.of(1, 1);
    final KernelArgs args = KernelArgs.builder().i32(7).build();
    final CommandQueue queue;

    SimulatedTarget(String target, XQueueConfig queueConfig) {
        this(target, queueConfig, Duration.ZERO);
    }

    /** With {@code launchHostCost} spent by every launch on its thread (a driver's CPU cost; see the simulator's builder). */
    SimulatedTarget(String target, XQueueConfig queueConfig, Duration launchHostCost) {
        platform = SimulatedPlatform.builder().realTime().defaultBlockDuration(Duration.ZERO).launchHostCost(launchHostCost).build();
        Device device = platform.device(0);
        CodeObject code = device.compiler().compile("empty.hip", SOURCE);
        module = device.loadModule(code);
        kernel = module.function("empty", ParamType.INT);
        yieldableKernel = module.function("empty_yieldable", ParamType.INT, ParamType.POINTER, ParamType.POINTER,
                ParamType.POINTER);
        stream = device.createStream();
        if (target.equals("xqueue")) {
            scheduler = XScheduler.builder().name("jmh-" + queueConfig.name()).jmx(false).build();
            queue = scheduler.wrap(stream, queueConfig);
        } else {
            scheduler = null;
            queue = stream;
        }
    }

    void launch() {
        queue.launch(kernel, config, args);
    }

    /** A launch of the yieldable kernel: managed by the XQueue, or plain on the stream (its {@code launchYieldable}). */
    void launchYieldable() {
        queue.launchYieldable(yieldableKernel, config, args);
    }

    /** Decisions of the scheduler so far (0 for the stream). */
    long decisions() {
        return scheduler == null ? 0 : scheduler.decisionCount();
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        stream.close();
        module.close();
        platform.close();
    }
}
