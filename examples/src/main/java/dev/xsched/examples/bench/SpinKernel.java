package dev.xsched.examples.bench;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Device;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.Stream;
import dev.xsched.hip.sim.SimulatedPlatform;

import java.time.Duration;

/**
 * A synthetic kernel of controlled length that fills the device: every block spins on
 * {@code clock64()} for a number of cycles. The grid is computeUnits x 8 blocks of 256 threads
 * (2048 threads per SM: one full wave on an H100/H200), so one launch occupies the whole GPU and
 * kernels of two streams hardly overlap. The cycles per millisecond start from the device's clock
 * rate and are calibrated once; every length used is then measured alone (its standalone time),
 * which is what the benchmark's accounting charges per completed kernel.
 *
 * <p>On the simulated platform {@code clock64} is not executed: launches carry their block duration
 * instead ({@link SimulatedPlatform#withBlockDuration}), one block per block slot.
 */
final class SpinKernel implements AutoCloseable {
    static final String SOURCE = """
            extern "C" __global__ void spin(long long cycles) {
                long long start = clock64();
                while (clock64() - start < cycles) { }
            }
            """;
    private static final int THREADS = 256;
    private static final int BLOCKS_PER_CU = 8;

    /** One kind of launch: its handle, configuration and arguments, and its measured standalone time. */
    record Launch(Kernel kernel, LaunchConfig config, KernelArgs args, double nominalMs, double standaloneMs) {
        long standaloneNanos() {
            return Math.round(standaloneMs * 1e6);
        }
    }

    private final Device device;
    private final HipModule module;
    private final Kernel spin;
    private final boolean simulated;
    private final int blocks;
    private double cyclesPerMs;

    SpinKernel(Device device) {
        this.device = device;
        this.simulated = device.platform().isSimulated();
        CodeObject code = device.compiler().compile("spin.cu", SOURCE);
        this.module = device.loadModule(code);
        this.spin = module.function("spin", ParamType.LONG);
        this.blocks = simulated && device.platform() instanceof SimulatedPlatform sim
                ? sim.slotsPerDevice() : Math.max(1, device.computeUnits()) * BLOCKS_PER_CU;
        this.cyclesPerMs = Math.max(1, device.clockRateKHz());
        if (!simulated) {
            // One calibration step: how long does a nominal 1 ms launch take here?
            double ms = time(raw(1.0), 3, 20);
            if (ms > 0) {
                cyclesPerMs = cyclesPerMs / ms;
            }
        }
    }

    String describe() {
        return simulated
                ? String.format(java.util.Locale.ROOT, "simulated kernels: %d blocks of the given duration (one per block slot)", blocks)
                : String.format(java.util.Locale.ROOT, "clock64 spin kernel: %d blocks x %d threads, %.0f cycles/ms (clock rate %d kHz)",
                blocks, THREADS, cyclesPerMs, device.clockRateKHz());
    }

    /** A launch of about {@code ms} milliseconds, measured alone. */
    Launch launch(double ms) {
        Launch raw = raw(ms);
        int n = (int) Math.max(5, Math.min(100, Math.round(100 / ms)));
        double standalone = time(raw, 2, n);
        return new Launch(raw.kernel(), raw.config(), raw.args(), ms, standalone > 0 ? standalone : ms);
    }

    private Launch raw(double ms) {
        LaunchConfig config = LaunchConfig.of(blocks, THREADS);
        if (simulated) {
            Kernel k = SimulatedPlatform.withBlockDuration(spin, Duration.ofNanos(Math.round(ms * 1e6)));
            return new Launch(k, config, KernelArgs.builder().i64(0).build(), ms, ms);
        }
        long cycles = Math.max(1, Math.round(ms * cyclesPerMs));
        return new Launch(spin, config, KernelArgs.builder().i64(cycles).build(), ms, ms);
    }

    /** Mean milliseconds per launch of {@code n} back-to-back launches on a fresh stream, after a warm-up. */
    private double time(Launch l, int warmup, int n) {
        try (Stream stream = device.createStream()) {
            for (int i = 0; i < warmup; i++) {
                stream.launch(l.kernel(), l.config(), l.args());
            }
            stream.synchronize();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                stream.launch(l.kernel(), l.config(), l.args());
            }
            stream.synchronize();
            return (System.nanoTime() - start) / 1e6 / n;
        }
    }

    @Override
    public void close() {
        module.close();
    }
}
