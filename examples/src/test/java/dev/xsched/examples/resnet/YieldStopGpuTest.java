package dev.xsched.examples.resnet;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.Event;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.Stream;
import dev.xsched.hip.YieldableKernels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The stop flag of a yieldable ResNet convolution, raised by the test itself at a known moment
 * rather than by a scheduler's timing: before the launch (every block must stop at its entry and
 * write nothing) and halfway through it, from a kernel on another stream (the running blocks must
 * stop at a check). Either way the relaunch with the flag lowered must finish the convolution bit
 * for bit. {@link CooperativeYieldGpuTest} covers the same kernels under a real scheduler, where
 * the flag rises only while a high-priority probe is pending; this test tells a kernel that never
 * sees the flag from a test whose window it missed (run it with both TF32 loops: the default
 * chunked one, which failed that test's old window on the H200, and
 * {@code -Dxsched.resnet.tf32Chunked=false}). The TF32 kernel runs twice: one tile per block, and
 * as its persistent twin ({@link PersistentGrid}) over 37 blocks for 196 tiles, where a stopped
 * block resumes at the tile it stopped in (run it with both tile assignments too: static, the
 * default, and {@code -Dxsched.resnet.persistDynamic=true}).
 */
@Tag("gpu")
class YieldStopGpuTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);
    /** Waits the given number of SM cycles from its start, then raises the flag. */
    private static final String RAISER = """
            extern "C" __global__ void raise_after(int* flag, long long cycles) {
                long long start = clock64();
                while (clock64() - start < cycles) { }
                *(volatile int*) flag = 1;
                __threadfence_system();
            }
            """;
    private static final int POISON = 0xFFFFFFFF;

    private Device device;

    @BeforeEach
    void gpu() {
        device = Gpu.deviceOrSkip();
    }

    /** The kernel under test: a precision, and whether it is the persistent twin. */
    enum Variant {
        FP32(ConvPrecision.FP32, false), TF32(ConvPrecision.TF32, false), TF32_PERSISTENT(ConvPrecision.TF32, true);

        final ConvPrecision precision;
        final boolean persistent;

        Variant(ConvPrecision precision, boolean persistent) {
            this.precision = precision;
            this.persistent = persistent;
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void aFlagRaisedBeforeTheLaunchStopsEveryBlockAtItsEntryAndTheRelaunchFinishesTheWork(Variant variant) {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Convolution conv = new Convolution(device, variant)) {
                conv.controls.raiseBeforeLaunch();
                conv.launchYieldable();
                conv.stream.synchronize();
                assertThat(conv.record()).as("a block recorded that it stopped").isEqualTo(1);
                assertThat(conv.states()).as("no block finished").doesNotContain(YieldableKernels.BLOCK_DONE);
                assertThat(conv.outputBits()).as("no block wrote its tile").containsOnly(POISON);
                if (variant.persistent) {
                    assertThat(conv.tilesClaimed()).as("tiles claimed (dynamic assignment; static never counts)").isZero();
                }

                conv.relaunchLowered();
                assertThat(conv.mismatch()).as("first element differing from an undisturbed launch").isEqualTo(-1);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void aFlagRaisedHalfwayThroughStopsTheRunningBlocksAndTheRelaunchFinishesTheWork(Variant variant) {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Convolution conv = new Convolution(device, variant);
                 Stream raiserStream = device.createStream();
                 HipModule raiser = device.loadModule(device.compiler().compile("raiser.cu", RAISER))) {
                float millis = conv.undisturbedMillis();
                long halfway = (long) (millis / 2 * device.clockRateKHz());
                conv.reset();
                // The raiser first, so that it counts from before the convolution's start: the flag
                // rises a little before the convolution's midpoint, never after its end.
                raiserStream.launch(raiser.function("raise_after", ParamType.POINTER, ParamType.LONG),
                        LaunchConfig.of(1, 1), KernelArgs.builder().pointer(conv.controls.flag).i64(halfway).build());
                conv.launchYieldable();
                raiserStream.synchronize();
                conv.stream.synchronize();
                assertThat(conv.record())
                        .as("a block stopped at a check after the flag rose %.3f ms into a %.3f ms launch", millis / 2, millis)
                        .isEqualTo(1);
                assertThat(conv.states()).as("some block did not finish").isNotEqualTo(conv.allDone());
                if (variant.persistent) {
                    // About 5 tiles a block, stopped near the middle: blocks resume past their first tile
                    // (static: the turn to resume at), or have one to redo (dynamic: that tile plus one).
                    assertThat(Arrays.stream(conv.states()).max().orElse(0)).as("the furthest resume point").isPositive();
                }

                conv.relaunchLowered();
                assertThat(conv.mismatch()).as("first element differing from an undisturbed launch").isEqualTo(-1);
            }
        });
    }

    /**
     * One long-block convolution (reduction 4608, as in ResNet-50's layer4; 196 tiles) with its
     * stop flag, yield state and record; the persistent twin over 37 blocks, with its tile counter.
     */
    private static final class Convolution implements AutoCloseable {
        private final ConvShape shape = new ConvShape(512, 512, 14, 14, 3, 1, 1);
        private final int batch = 32;
        private final boolean persistent;
        private final LaunchConfig tiles;
        private final LaunchConfig config;
        private final Kernel yieldable;
        private final KernelArgs args;
        private final float[] expected;
        final Stream stream;
        private final DeviceBuffer in;
        private final DeviceBuffer weights;
        private final DeviceBuffer bias;
        private final DeviceBuffer residual;
        private final DeviceBuffer out;
        private final DeviceBuffer tileCounter;
        final YieldControls controls;

        Convolution(Device device, Variant variant) {
            ConvPrecision precision = variant.precision;
            persistent = variant.persistent;
            tiles = ConvTiling.LARGE.launchConfig(shape, batch);
            config = variant.persistent ? PersistentGrid.config(tiles, 37, 1) : tiles;
            ResNetKernels kernels = ResNetKernels.forDevice(device);
            assumeTrue(kernels.supports(precision), () -> precision.label() + " needs NVIDIA sm_80 or newer");
            var random = new SplittableRandom(11);
            ConvWeights w = ModelWeights.randomConv(shape, random);
            stream = device.createStream();
            in = Gpu.upload(device, stream, ReferenceOpsTest.gaussian(random, Math.toIntExact(batch * shape.inputElements())));
            weights = Gpu.upload(device, stream, w.reductionMajor());
            bias = Gpu.upload(device, stream, w.bias());
            residual = Gpu.upload(device, stream, ReferenceOpsTest.gaussian(random, Math.toIntExact(batch * shape.outputElements())));
            out = Gpu.poisoned(device, stream, batch * shape.outputElements());
            tileCounter = device.allocate(Integer.BYTES);
            controls = new YieldControls(device, stream, config);
            KernelArgs own = ResNetKernels.convArgs(in, weights, bias, residual, out, shape, batch, true, precision);
            stream.launch(kernels.conv(ConvTiling.LARGE, precision), tiles, ResNetKernels.unsliced(own));
            expected = Gpu.download(stream, out);
            yieldable = variant.persistent ? kernels.kernel(ConvTiling.LARGE.persistKernelName())
                    : kernels.yieldableConv(ConvTiling.LARGE, precision);
            args = controls.managed(variant.persistent ? own.with(KernelArgs.builder().pointer(tileCounter).build()) : own);
            reset();
        }

        /** Output poisoned, every block not yet run, record and flag lowered. */
        void reset() {
            stream.memset(out, 0xFF);
            stream.memset(tileCounter, 0);
            controls.reset();
        }

        void launchYieldable() {
            stream.launch(yieldable, config, args);
        }

        /** Lowers the flag and launches again: the blocks that finished return at once, the others run. */
        void relaunchLowered() {
            assertThat(latch()).as("the stop latch, set by the first block that stopped").isEqualTo(1);
            controls.prepareRelaunch();
            launchYieldable();
            stream.synchronize();
            assertThat(record()).as("no block stopped in the relaunch").isZero();
            assertThat(states()).as("every block finished").isEqualTo(allDone());
            if (persistent && ResNetKernels.persistDynamic()) {
                assertThat(tilesClaimed()).as("every tile claimed once, and one claim past the last per block")
                        .isEqualTo(YieldableKernels.blocks(tiles) + YieldableKernels.blocks(config));
            }
        }

        /** The persistent twin's tile counter: the tiles its blocks claimed (with dynamic assignment). */
        long tilesClaimed() {
            return Gpu.downloadBits(stream, tileCounter)[0];
        }

        /** The undisturbed yieldable launch's duration, after one launch to warm up. */
        float undisturbedMillis() {
            try (Event start = device().createEvent(); Event end = device().createEvent()) {
                reset();
                launchYieldable();
                reset();
                stream.record(start);
                launchYieldable();
                stream.record(end);
                end.synchronize();
                return end.elapsedMillis(start);
            }
        }

        private Device device() {
            return stream.device();
        }

        int record() {
            return controls.record();
        }

        int[] states() {
            return controls.states();
        }

        int latch() {
            return controls.latch();
        }

        int[] allDone() {
            int[] done = new int[Math.toIntExact(YieldableKernels.blocks(config))];
            Arrays.fill(done, YieldableKernels.BLOCK_DONE);
            return done;
        }

        int[] outputBits() {
            return Gpu.downloadBits(stream, out);
        }

        /** Arrays.mismatch, not containsExactly: AssertJ's diff of 3 million floats takes minutes. */
        int mismatch() {
            return Arrays.mismatch(Gpu.download(stream, out), expected);
        }

        @Override
        public void close() {
            Gpu.closeAll(controls, tileCounter, out, residual, bias, weights, in, stream);
        }
    }
}
