package dev.xsched.examples.resnet;

import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.YieldableKernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** For tests tagged {@code gpu}: a real device or a skip that says why, and float transfers. */
final class Gpu {
    private Gpu() {
    }

    /** Device 0 of the chosen platform; skips the test unless it is real (not simulated) hardware. */
    static Device deviceOrSkip() {
        return Lookup.DEVICE.orElseSkip();
    }

    /** Looked up once per JVM: choosing a platform probes native libraries. */
    private record Lookup(Device device, String reason) {
        static final Lookup DEVICE = find();

        Device orElseSkip() {
            assumeTrue(device != null, reason);
            return device;
        }
    }

    private static Lookup find() {
        HipPlatform platform;
        try {
            platform = Hip.platform();
        } catch (IllegalStateException | IllegalArgumentException e) {
            return new Lookup(null, "no HIP platform can be used here: " + e.getMessage());
        }
        if (platform.isSimulated()) {
            return new Lookup(null, "platform " + platform.name()
                    + " is simulated: it does not run kernels; these tests need a real GPU");
        }
        if (platform.deviceCount() == 0) {
            return new Lookup(null, "platform " + platform.name() + " has no device: "
                    + platform.noDeviceReason().orElse("none found"));
        }
        return new Lookup(platform.device(0), null);
    }

    static DeviceBuffer upload(Device device, CommandQueue queue, float[] values) {
        DeviceBuffer b = device.allocate((long) values.length * Float.BYTES);
        queue.copyAndWait(b, MemorySegment.ofArray(values));
        return b;
    }

    /** A buffer of {@code floats} floats, every byte 0xFF: a NaN in each float, so an unwritten output shows. */
    static DeviceBuffer poisoned(Device device, CommandQueue queue, long floats) {
        DeviceBuffer b = device.allocate(floats * Float.BYTES);
        queue.memset(b, 0xFF);
        return b;
    }

    static float[] download(CommandQueue queue, DeviceMemory memory) {
        float[] out = new float[Math.toIntExact(memory.byteSize() / Float.BYTES)];
        queue.copyAndWait(MemorySegment.ofArray(out), memory);
        return out;
    }

    /** The per-block states of a yieldable launch of {@code config}, its stop latch left out, copied to the host. */
    static int[] blockStates(CommandQueue queue, DeviceMemory state, LaunchConfig config) {
        return downloadInts(queue, state.slice(0, YieldableKernels.latchOffset(config)));
    }

    /** The stop latch of a yieldable launch of {@code config} (1 once a block stopped), copied to the host. */
    static int stopLatch(CommandQueue queue, DeviceMemory state, LaunchConfig config) {
        return downloadInts(queue, state.slice(YieldableKernels.latchOffset(config), YieldableKernels.LATCH_BYTES))[0];
    }

    /** The ints of {@code memory} (a yieldable launch's per-block state), copied to the host. */
    private static int[] downloadInts(CommandQueue queue, DeviceMemory memory) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(memory.byteSize(), 4);
            queue.copyAndWait(host, memory);
            return host.toArray(JAVA_INT);
        }
    }

    /** The floats of {@code memory} as their raw bits: a poisoned (never written) element shows as 0xFFFFFFFF. */
    static int[] downloadBits(CommandQueue queue, DeviceMemory memory) {
        float[] values = download(queue, memory);
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    /** Closes each in order; the first that fails ends it with an exception naming it. */
    static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable c : resources) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + c, e);
            }
        }
    }

    /**
     * Every element finite and within {@code relative} of the reference, relative to the largest
     * reference magnitude (float sums of thousands of products differ from double sums by a few
     * ulps of the largest partial sums, not of each result).
     */
    static void assertClose(String what, float[] actual, float[] expected, double relative) {
        assertThat(actual).as(what + " length").hasSameSizeAs(expected);
        double scale = 1e-6;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double worst = 0;
        int worstIndex = -1;
        for (int i = 0; i < actual.length; i++) {
            assertThat(Float.isFinite(actual[i])).as("%s[%d] = %s is not finite (not written?)", what, i, actual[i]).isTrue();
            double error = Math.abs(actual[i] - expected[i]) / scale;
            if (error > worst) {
                worst = error;
                worstIndex = i;
            }
        }
        final int at = worstIndex;
        assertThat(worst).as(() -> what + ": worst relative error at " + at + ": got " + actual[at] + ", expected "
                + expected[at] + " (scale " + String.format("%.4g", maxAbs(expected)) + ")").isLessThanOrEqualTo(relative);
    }

    static double maxAbs(float[] values) {
        double m = 0;
        for (float v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
