package dev.xsched.examples.resnet;

import dev.xsched.testsupport.ExternalCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The kernels' arithmetic, run on the CPU: the unchanged kernel source is compiled as C++ by the
 * host compiler inside kernel_emulator.cpp (a test resource), which launches each kernel with one
 * thread per GPU thread and compares with a double-precision reference, for both convolution tile
 * shapes in both precisions (FP32 also on AMD's matrix cores) on the GPU tests' shapes, and for the
 * pooling kernels. The TF32 kernels' tensor-core instructions are emulated there (operands rounded
 * to TF32, a warp-wide m16n8k8 product), as is the matrix-core kernels' instruction (a
 * wavefront-wide 16x16x4 FP32 product in the documented lane layout): every TF32 output must lie
 * within the error bound derived in {@link ConvPrecision}, every FP32 one within 1e-5 of the
 * largest, sliced launches must equal unsliced ones, and a launch stopped part-way
 * by a yield and launched again must equal an undisturbed one bit for bit. It says nothing about
 * speed, or about what hiprtc or NVRTC make of the source (the compile test and the GPU tests do
 * that).
 */
class KernelEmulationTest {
    private static final String COMPILER = "g++";

    /**
     * The default source, whose persistent twins assign their tiles dynamically: each claims its
     * tiles from a counter, so a block that runs after the others (the emulator runs blocks one
     * after another) finds fewer; undisturbed, stopped at a claim (which must claim nothing),
     * stopped in a tile (which the relaunch must redo), and stopped twice with a relaunch in
     * reverse block order, each bit for bit.
     */
    @Test
    void everyKernelComputesTheReferenceResultWhenEmulatedOnTheCpu(@TempDir Path dir) throws Exception {
        String source = ResNetKernels.source();
        assertThat(source).as("dynamic tiles by default").contains("#define XSCHED_PERSIST_DYNAMIC 1\n");
        assertThat(emulate(dir, source)).as("the pools' yieldable twins were stopped and resumed")
                .contains("maxpool yield").contains("gap yield")
                .as("the persistent twins ran over fewer blocks than tiles, stopped and resumed, dynamically")
                .contains("tf32 128 persistent cin=130 cout=20 5x5 k=3 b=12 dynamic, 3 blocks for 3 tiles, raises 10 3: 3 launches")
                .contains("tf32  64 persistent").contains("tf32 64x128 persistent")
                .contains("maxpool persistent dynamic, 2 blocks for 3 tiles, raises 2: 2 launches")
                .as("the 128 x 128 kernels by kind of input load: plain, sliced, stopped and persistent")
                .contains("tf32 128 by loads cin=32 cout=130 9x9 k=1 s=2").contains("tf32 128 by loads sliced")
                .contains("tf32 128 by loads yield cin=600 cout=68 9x9").contains("tf32 128 by loads persistent cin=40 cout=130")
                .as("split K: within the bound, sliced, and the same bits whichever block of a tile comes last")
                .contains("tf32  64 split k cin=200 cout=150").contains("tf32  64 split k sliced")
                .contains("tf32  64 split k=16 cin=130 cout=20 5x5 k=3 b=2, blocks reversed: 0 differing ok")
                .contains("tf32  64 split k=7 cin=8")
                .as("the matrix-core kernels: within FP32's tolerance, sliced, stopped and resumed")
                .contains("mfma 128 cin=200 cout=150 1x1").contains("mfma  64 cin=3 cout=64 23x19 k=7")
                .contains("mfma 128 sliced").contains("mfma  64 yield cin=130 cout=20 5x5 k=3 b=2 raise at check 2: 2 launches");
    }

    /**
     * The persistent twins with static tile assignment (ResNetKernels.PERSIST_DYNAMIC_PROPERTY=false):
     * block b takes tiles b, b + grid, ..., stopped and resumed bit for bit.
     */
    @Test
    void thePersistentTwinsWithStaticTilesComputeTheSameAndStopAndResumeExactly(@TempDir Path dir) throws Exception {
        String source = sourceWith(ResNetKernels.PERSIST_DYNAMIC_PROPERTY, "false");
        assertThat(source).contains("#define XSCHED_PERSIST_DYNAMIC 0\n");
        assertThat(emulate(dir, source, "persistent")).as("each twin, static")
                .contains("tf32 128 persistent").contains("tf32 64x128 persistent").contains("maxpool persistent")
                .doesNotContain("dynamic");
    }

    /**
     * The persistent twins with opaque copies of the arguments (ResNetKernels.PERSIST_OPAQUE_PROPERTY=true,
     * the default where the kernels that take every kind of load run): the same results, stopped and
     * resumed bit for bit.
     */
    @Test
    void thePersistentTwinsWithOpaqueArgumentsComputeTheSameAndStopAndResumeExactly(@TempDir Path dir) throws Exception {
        String source = sourceWith(ResNetKernels.PERSIST_OPAQUE_PROPERTY, "true");
        assertThat(source).contains("#define XSCHED_TC_PERSIST_OPAQUE 1\n");
        assertThat(emulate(dir, source, "persistent")).as("each twin, with the copies")
                .contains("tf32 128 persistent").contains("tf32 128 by loads persistent cin=40 cout=130")
                .contains("tf32 64x128 persistent");
    }

    /**
     * The TF32 kernels again, their managed loop compiled the older way, a check tested on every
     * slice (ResNetKernels.TF32_CHUNKED_PROPERTY=false; chunked is the default).
     */
    @Test
    void theUnchunkedTensorCoreLoopComputesTheSameAndStopsAndResumesExactly(@TempDir Path dir) throws Exception {
        String source = sourceWith(ResNetKernels.TF32_CHUNKED_PROPERTY, "false");
        assertThat(source).contains("#define XSCHED_TC_CHUNKED 0\n");
        assertThat(emulate(dir, source, "tf32")).as("the persistent twins with this loop").contains("tf32  64 persistent");
    }

    /** The kernel source with the system property {@code property} set to {@code value} while it is built. */
    private static String sourceWith(String property, String value) {
        return SystemProperties.restoring(property, () -> {
            System.setProperty(property, value);
            return ResNetKernels.source();
        });
    }

    /** Compiles and runs the emulator on {@code source}: its output, once every check passed. */
    private static String emulate(Path dir, String source, String... arguments) throws Exception {
        Path kernels = dir.resolve(ResNetKernels.SOURCE_NAME);
        Files.writeString(kernels, source);
        Path harness = dir.resolve("kernel_emulator.cpp");
        try (InputStream in = KernelEmulationTest.class.getResourceAsStream("kernel_emulator.cpp")) {
            assertThat(in).as("test resource kernel_emulator.cpp").isNotNull();
            Files.write(harness, in.readAllBytes());
        }
        Path binary = dir.resolve("kernel_emulator");
        ExternalCommand.Result compile;
        try {
            compile = run(dir, List.of(COMPILER, "-std=c++20", "-O1", "-pthread", "-w",
                    "-DKERNEL_SOURCE=\"" + kernels + "\"", harness.toString(), "-o", binary.toString()));
        } catch (IOException e) {
            assumeTrue(false, "no C++ compiler (" + COMPILER + ") here to emulate the kernels with: " + e.getMessage());
            return "";
        }
        assertThat(compile.exitCode()).as("g++ output:%n%s", compile.output()).isZero();

        List<String> command = new java.util.ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(arguments));
        ExternalCommand.Result emulation = run(dir, command);
        assertThat(emulation.output()).as("emulator output").contains("ALL OK").doesNotContain("FAIL");
        assertThat(emulation.exitCode()).isZero();
        return emulation.output();
    }

    /**
     * A guard against a hung emulator, not a performance bound: on a 2-core CI machine the full
     * emulation of every kernel ran past 300 s once (2026-12-06, 308 s, all of it passing), so
     * the guard allows three times that.
     */
    private static ExternalCommand.Result run(Path dir, List<String> command) throws IOException, InterruptedException {
        return ExternalCommand.run(command, dir, Duration.ofSeconds(900));
    }
}
