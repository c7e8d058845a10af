package dev.xsched.hip.gpu;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.Dim3;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.SplittableRandom;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Kernels compiled at run time from portable source ({@link GpuKernels}), run on fresh random
 * inputs and checked against a Java reference within relative error bounds. Outputs are poisoned
 * first (every byte 0xFF, a NaN in every float), so an element the kernel never wrote fails.
 */
@Tag("gpu")
class GpuKernelTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private Device gpu;

    /** Per test, not per class: each test then reports the skip (and its reason) where no GPU exists. */
    @BeforeEach
    void gpu() {
        gpu = GpuSupport.device();
    }

    private static MemorySegment randomFloats(Arena arena, int count, SplittableRandom random) {
        MemorySegment segment = arena.allocate(JAVA_FLOAT, count);
        for (int i = 0; i < count; i++) {
            segment.setAtIndex(JAVA_FLOAT, i, (float) (random.nextDouble() * 2 - 1));
        }
        return segment;
    }

    private HipModule load(String name, String source) {
        CodeObject code = gpu.compiler().compile(name, source);
        assertThat(code.target()).isEqualTo(gpu.compiler().defaultTarget());
        return gpu.loadModule(code);
    }

    @Test
    void vectorAddMatchesJava() {
        int n = (1 << 20) + 3;
        long seed = System.nanoTime();
        assertTimeoutPreemptively(LIMIT, () -> {
            SplittableRandom random = new SplittableRandom(seed);
            long bytes = 4L * n;
            try (Arena arena = Arena.ofConfined();
                 HipModule module = load("vector_add.cu", GpuKernels.VECTOR_ADD);
                 DeviceBuffer a = gpu.allocate(bytes);
                 DeviceBuffer b = gpu.allocate(bytes);
                 DeviceBuffer c = gpu.allocate(bytes);
                 Stream stream = gpu.createStream()) {
                Kernel vectorAdd = module.function("vector_add", ParamType.POINTER, ParamType.POINTER, ParamType.POINTER, ParamType.INT);
                MemorySegment hostA = randomFloats(arena, n, random);
                MemorySegment hostB = randomFloats(arena, n, random);
                MemorySegment hostC = arena.allocate(JAVA_FLOAT, n);
                stream.copy(a, hostA);
                stream.copy(b, hostB);
                stream.memset(c, 0xFF);
                stream.launch(vectorAdd, LaunchConfig.of((n + 255) / 256, 256),
                        KernelArgs.builder().pointer(a).pointer(b).pointer(c).i32(n).build());
                stream.copy(hostC, c);
                stream.synchronize();
                for (int i = 0; i < n; i++) {
                    float expected = hostA.getAtIndex(JAVA_FLOAT, i) + hostB.getAtIndex(JAVA_FLOAT, i);
                    float actual = hostC.getAtIndex(JAVA_FLOAT, i);
                    if (!(Math.abs(actual - expected) <= 1e-6f * Math.max(1f, Math.abs(expected)))) {
                        fail("c[%d] = %s, expected %s (seed %d)", i, actual, expected, seed);
                    }
                }
            }
        });
    }

    @Test
    void sharedMemoryReductionMatchesJava() {
        int n = (1 << 22) + 11;
        int blocks = 120;
        long seed = System.nanoTime();
        assertTimeoutPreemptively(LIMIT, () -> {
            SplittableRandom random = new SplittableRandom(seed);
            try (Arena arena = Arena.ofConfined();
                 HipModule module = load("block_sum.cu", GpuKernels.BLOCK_SUM);
                 DeviceBuffer in = gpu.allocate(4L * n);
                 DeviceBuffer partial = gpu.allocate(4L * blocks);
                 Stream stream = gpu.createStream()) {
                Kernel blockSum = module.function("block_sum", ParamType.POINTER, ParamType.POINTER, ParamType.INT);
                MemorySegment host = randomFloats(arena, n, random);
                MemorySegment sums = arena.allocate(JAVA_FLOAT, blocks);
                stream.copy(in, host);
                stream.memset(partial, 0xFF);
                stream.launch(blockSum, LaunchConfig.of(blocks, GpuKernels.BLOCK_SUM_THREADS),
                        KernelArgs.builder().pointer(in).pointer(partial).i32(n).build());
                stream.copy(sums, partial);
                stream.synchronize();

                double expected = 0;
                double magnitude = 0;
                for (int i = 0; i < n; i++) {
                    expected += host.getAtIndex(JAVA_FLOAT, i);
                    magnitude += Math.abs(host.getAtIndex(JAVA_FLOAT, i));
                }
                double actual = 0;
                for (int i = 0; i < blocks; i++) {
                    float blockTotal = sums.getAtIndex(JAVA_FLOAT, i);
                    assertThat(Float.isNaN(blockTotal)).as("block %d wrote its sum (seed %d)", i, seed).isFalse();
                    actual += blockTotal;
                }
                // Float sums of ~n/30720 terms per thread then a tree: error well under 1e-5 of the magnitude.
                assertThat(Math.abs(actual - expected)).as("sum %s vs %s (seed %d)", actual, expected, seed)
                        .isLessThanOrEqualTo(1e-5 * magnitude);
            }
        });
    }

    @Test
    void tiledMatrixMultiplyMatchesJava() {
        int m = 67;
        int n = 45;
        int k = 131;
        long seed = System.nanoTime();
        assertTimeoutPreemptively(LIMIT, () -> {
            SplittableRandom random = new SplittableRandom(seed);
            try (Arena arena = Arena.ofConfined();
                 HipModule module = load("matmul_tiled.cu", GpuKernels.MATMUL_TILED);
                 DeviceBuffer a = gpu.allocate(4L * m * k);
                 DeviceBuffer b = gpu.allocate(4L * k * n);
                 DeviceBuffer c = gpu.allocate(4L * m * n);
                 Stream stream = gpu.createStream()) {
                Kernel matmul = module.function("matmul_tiled", ParamType.POINTER, ParamType.POINTER, ParamType.POINTER,
                        ParamType.INT, ParamType.INT, ParamType.INT);
                MemorySegment hostA = randomFloats(arena, m * k, random);
                MemorySegment hostB = randomFloats(arena, k * n, random);
                MemorySegment hostC = arena.allocate(JAVA_FLOAT, (long) m * n);
                stream.copy(a, hostA);
                stream.copy(b, hostB);
                stream.memset(c, 0xFF);
                int tile = GpuKernels.TILE;
                stream.launch(matmul, LaunchConfig.of(Dim3.of((n + tile - 1) / tile, (m + tile - 1) / tile), Dim3.of(tile, tile)),
                        KernelArgs.builder().pointer(a).pointer(b).pointer(c).i32(m).i32(n).i32(k).build());
                stream.copy(hostC, c);
                stream.synchronize();

                for (int row = 0; row < m; row++) {
                    for (int col = 0; col < n; col++) {
                        double expected = 0;
                        double magnitude = 0;
                        for (int i = 0; i < k; i++) {
                            double term = (double) hostA.getAtIndex(JAVA_FLOAT, (long) row * k + i)
                                    * hostB.getAtIndex(JAVA_FLOAT, (long) i * n + col);
                            expected += term;
                            magnitude += Math.abs(term);
                        }
                        float actual = hostC.getAtIndex(JAVA_FLOAT, (long) row * n + col);
                        // A float dot product of k terms (FMA or not) is within k * 2^-24 of the magnitude.
                        if (!(Math.abs(actual - expected) <= 1e-5 * magnitude + 1e-6)) {
                            fail("c[%d][%d] = %s, expected %s (seed %d)", row, col, actual, expected, seed);
                        }
                    }
                }
            }
        });
    }
}
