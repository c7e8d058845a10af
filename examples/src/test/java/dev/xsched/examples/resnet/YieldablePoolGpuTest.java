package dev.xsched.examples.resnet;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
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

/**
 * The yieldable pooling kernels ({@code max_pool2d_yield}, {@code global_avg_pool_yield},
 * {@link ResNetKernels#YIELDABLE_POOL_PROPERTY}) on a GPU: their only check is each block's entry,
 * so a flag raised before the launch must stop every block before it writes anything, and the
 * relaunch with the flag lowered must give the plain kernel's result bit for bit; with the flag
 * never raised each is its plain kernel, every block marked finished. (The CPU emulation,
 * {@code KernelEmulationTest}, stops them part-way.)
 */
@Tag("gpu")
class YieldablePoolGpuTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    /** ResNet's stem pool at batch 16: 3.2 million outputs, 12,544 blocks. */
    private static final PoolShape SHAPE = new PoolShape(64, 112, 112, 3, 2, 1);
    private static final int BATCH = 16;
    /** ResNet-50's global average pool at batch 64: 131,072 planes of 7 x 7, 512 blocks. */
    private static final int PLANES = 64 * 2048;
    private static final int PLANE_SIZE = 49;

    /** The two pooling kernels: their launch, input size and arguments. */
    enum Kind {
        MAX_POOL(ResNetKernels.MAX_POOL, ResNetKernels.MAX_POOL_YIELD, ResNetKernels.maxPoolConfig(SHAPE, BATCH),
                BATCH * SHAPE.inputElements(), BATCH * SHAPE.outputElements()),
        GLOBAL_AVG_POOL(ResNetKernels.GLOBAL_AVG_POOL, ResNetKernels.GLOBAL_AVG_POOL_YIELD,
                ResNetKernels.globalAvgPoolConfig(PLANES), (long) PLANES * PLANE_SIZE, PLANES);

        final String plain;
        final String yieldable;
        final LaunchConfig config;
        final long inputs;
        final long outputs;

        Kind(String plain, String yieldable, LaunchConfig config, long inputs, long outputs) {
            this.plain = plain;
            this.yieldable = yieldable;
            this.config = config;
            this.inputs = inputs;
            this.outputs = outputs;
        }

        KernelArgs args(DeviceBuffer in, DeviceBuffer out) {
            return this == MAX_POOL ? ResNetKernels.maxPoolArgs(in, out, SHAPE, BATCH)
                    : ResNetKernels.globalAvgPoolArgs(in, out, PLANES, PLANE_SIZE);
        }
    }
    private static final int POISON = 0xFFFFFFFF;

    private Device device;

    @BeforeEach
    void gpu() {
        device = Gpu.deviceOrSkip();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aFlagRaisedBeforeTheLaunchStopsEveryBlockAndTheRelaunchGivesThePlainResult(Kind kind) {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Pool pool = new Pool(device, kind)) {
                pool.controls.raiseBeforeLaunch();
                pool.launchYieldable();
                pool.stream.synchronize();
                assertThat(pool.record()).as("a block recorded that it stopped").isEqualTo(1);
                assertThat(pool.states()).as("no block finished").doesNotContain(YieldableKernels.BLOCK_DONE);
                assertThat(pool.outputBits()).as("no block wrote").containsOnly(POISON);
                assertThat(pool.latch()).as("the stop latch: only the first stopping block wrote the record").isEqualTo(1);

                pool.controls.prepareRelaunch();
                pool.launchYieldable();
                pool.stream.synchronize();
                assertThat(pool.record()).as("no block stopped in the relaunch").isZero();
                assertThat(pool.states()).as("every block finished").containsOnly(YieldableKernels.BLOCK_DONE);
                assertThat(pool.mismatch()).as("first element differing from the plain kernel").isEqualTo(-1);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void withTheFlagNeverRaisedItIsThePlainKernel(Kind kind) {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Pool pool = new Pool(device, kind)) {
                pool.launchYieldable();
                pool.stream.synchronize();
                assertThat(pool.record()).as("no block stopped").isZero();
                assertThat(pool.states()).as("every block finished").containsOnly(YieldableKernels.BLOCK_DONE);
                assertThat(pool.mismatch()).as("first element differing from the plain kernel").isEqualTo(-1);
            }
        });
    }

    /** The pool's input, its plain result, and the yieldable launch's control words, output poisoned. */
    private static final class Pool implements AutoCloseable {
        private final Kind kind;
        private final LaunchConfig config;
        private final ResNetKernels kernels;
        private final float[] expected;
        private final KernelArgs args;
        final Stream stream;
        private final DeviceBuffer in;
        private final DeviceBuffer out;
        final YieldControls controls;

        Pool(Device device, Kind kind) {
            this.kind = kind;
            config = kind.config;
            kernels = ResNetKernels.forDevice(device);
            stream = device.createStream();
            in = Gpu.upload(device, stream, ReferenceOpsTest.gaussian(new SplittableRandom(5), Math.toIntExact(kind.inputs)));
            out = Gpu.poisoned(device, stream, kind.outputs);
            controls = new YieldControls(device, stream, config);
            KernelArgs own = kind.args(in, out);
            stream.launch(kernels.kernel(kind.plain), config, own);
            expected = Gpu.download(stream, out);
            args = controls.managed(own);
            stream.memset(out, 0xFF);
            controls.reset();
        }

        void launchYieldable() {
            stream.launch(kernels.kernel(kind.yieldable), config, args);
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

        int[] outputBits() {
            return Gpu.downloadBits(stream, out);
        }

        /** Arrays.mismatch: AssertJ's diff of millions of floats takes minutes. */
        int mismatch() {
            return Arrays.mismatch(Gpu.download(stream, out), expected);
        }

        @Override
        public void close() {
            Gpu.closeAll(controls, out, in, stream);
        }
    }
}
