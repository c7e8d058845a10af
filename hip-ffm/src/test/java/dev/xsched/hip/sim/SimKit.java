package dev.xsched.hip.sim;

import dev.xsched.hip.Device;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.Stream;

import java.time.Duration;

/** Shared test helpers: a module of small kernels and launches with a chosen block duration. */
final class SimKit {
    static final String SOURCE = """
            // Kernels used by the simulator tests; the simulated compiler only reads their names.
            extern "C" __global__ void work(int tag) { }
            extern "C" __global__ void vadd(const float* a, const float* b, float* c, int n) {
                int i = blockIdx.x * blockDim.x + threadIdx.x;
                if (i < n) c[i] = a[i] + b[i];
            }
            extern "C" __global__ void append(int* log, int value) { }
            """;

    private SimKit() {
    }

    static HipModule module(Device device) {
        return device.loadModule(device.compiler().compile("kit.hip", SOURCE));
    }

    /** The {@code work(int tag)} kernel of {@code device}. */
    static Kernel work(Device device) {
        return module(device).function("work", ParamType.INT);
    }

    /** Launches {@code blocks} blocks of {@code perBlock} each, tagged {@code tag}. */
    static void launch(Stream stream, Kernel work, int blocks, Duration perBlock, int tag) {
        stream.launch(SimulatedPlatform.withBlockDuration(work, perBlock), LaunchConfig.of(blocks, 64),
                KernelArgs.builder().i32(tag).build());
    }

    static long ms(double millis) {
        return Math.round(millis * 1_000_000);
    }
}
