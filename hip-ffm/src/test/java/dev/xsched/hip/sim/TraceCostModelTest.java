package dev.xsched.hip.sim;

import dev.xsched.hip.Device;
import dev.xsched.hip.Dim3;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceCostModelTest {
    private static final Duration DEFAULT = Duration.ofNanos(7_000);
    private static final List<String> TRACE = List.of(
            "# recorded on an H200",
            "kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,kernel_us",
            "gemm,100,1,1,256,1,1,50",
            "gemm,100,1,1,256,1,1,70",
            "gemm,100,1,1,256,1,1,60",
            "gemm,264,1,1,256,1,1,400",
            "",
            "\"void at::native::kernel<float, 4>(\"\"x\"\")\",2,2,1,128,1,1,10.5");

    private static LaunchConfig config(int gridX, int blockX) {
        return LaunchConfig.of(gridX, blockX);
    }

    private static long blockNanos(TraceCostModel model, String name, LaunchConfig config) {
        return model.blockNanos(name, config, KernelArgs.none());
    }

    @Test
    void blockTimesMakeALaunchAloneLastWhatTheGpuRecorded() {
        // One wave: the whole kernel time is one block.
        assertThat(TraceCostModel.blockNanos(50, 100, 132)).isEqualTo(50_000);
        // Exactly two waves: half. Same as kernel_us * slots / grid.
        assertThat(TraceCostModel.blockNanos(400, 264, 132)).isEqualTo(200_000).isEqualTo(400_000L * 132 / 264);
        // A partial last wave still takes a wave: 133 blocks on 132 slots are two waves.
        assertThat(TraceCostModel.blockNanos(100, 133, 132)).isEqualTo(50_000);
        assertThatThrownBy(() -> TraceCostModel.blockNanos(-1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lookupIsExactShapeThenKernelNameThenDefault() {
        TraceCostModel model = TraceCostModel.parse("trace.csv", TRACE, 132, DEFAULT);

        assertThat(model.rowCount()).isEqualTo(5);
        assertThat(model.kernelNames()).containsExactly("gemm", "void at::native::kernel<float, 4>(\"x\")");
        assertThat(blockNanos(model, "gemm", config(100, 256))).isEqualTo(60_000); // median of 50, 70, 60
        assertThat(blockNanos(model, "gemm", config(264, 256))).isEqualTo(200_000);
        // Another shape of gemm: the median of its four block times 50, 60, 70, 200 us.
        assertThat(model.exactBlockNanos("gemm", config(7, 256))).isEmpty();
        assertThat(blockNanos(model, "gemm", config(7, 256))).isEqualTo(65_000);
        assertThat(blockNanos(model, "void at::native::kernel<float, 4>(\"x\")",
                new LaunchConfig(Dim3.of(2, 2), Dim3.of(128), 0))).isEqualTo(10_500);
        assertThat(blockNanos(model, "unknown", config(1, 1))).isEqualTo(7_000);
    }

    /**
     * A yieldable twin ({@value TraceCostModel#YIELD_SUFFIX}) that the trace did not record replays
     * its plain kernel's rows (older traces have no pool twins); a recorded one replays its own.
     */
    @Test
    void anUntracedYieldableTwinReplaysItsPlainKernelAndATracedOneItsOwnRows() {
        TraceCostModel model = TraceCostModel.parse("t.csv", List.of(
                "kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,kernel_us",
                "pool,10,1,1,256,1,1,5",
                "conv,10,1,1,256,1,1,20",
                "conv_yield,10,1,1,256,1,1,22"), 132, DEFAULT);

        assertThat(blockNanos(model, "pool_yield", config(10, 256))).isEqualTo(5_000);
        assertThat(model.exactBlockNanos("pool_yield", config(10, 256))).hasValue(5_000);
        assertThat(blockNanos(model, "conv_yield", config(10, 256))).isEqualTo(22_000);
        assertThat(blockNanos(model, "conv", config(10, 256))).isEqualTo(20_000);
    }

    @Test
    void integerArgumentsTellApartLaunchesOfOneKernelAndShapeAndMayBeAPrefix() {
        TraceCostModel model = TraceCostModel.parse("t.csv", List.of(
                "kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,kernel_us,int_args",
                "conv,100,1,1,256,1,1,10,1 64 1",   // a 1x1 convolution
                "conv,100,1,1,256,1,1,90,1 64 3",   // a 3x3 convolution, same grid
                "conv,100,1,1,256,1,1,94,1 64 3",
                "conv,50,1,1,256,1,1,30,",          // no arguments recorded
                "pool,10,1,1,256,1,1,5,-7 8000000000"), 132, DEFAULT);

        KernelArgs oneByOne = KernelArgs.builder().nullPointer().i32(1).i32(64).i32(1).build();
        KernelArgs threeByThree = KernelArgs.builder().i32(1).nullPointer().i32(64).i32(3).build();
        assertThat(model.blockNanos("conv", config(100, 256), oneByOne)).isEqualTo(10_000);
        assertThat(model.blockNanos("conv", config(100, 256), threeByThree)).isEqualTo(92_000);
        // The row names fewer integers than the launch has (a sliced launch's block offset): its first ones count.
        assertThat(model.blockNanos("conv", config(100, 256), oneByOne.withI32(37))).isEqualTo(10_000);
        // A slice (another grid) with a recorded launch's arguments: that launch's blocks.
        assertThat(model.blockNanos("conv", config(3, 256), threeByThree.withI32(0))).isEqualTo(92_000);
        // Unrecorded arguments: the shape's median over all its rows, then the name's.
        KernelArgs other = KernelArgs.builder().i32(1).i32(64).i32(5).build();
        assertThat(model.blockNanos("conv", config(100, 256), other)).isEqualTo(90_000);
        assertThat(model.blockNanos("conv", config(50, 256), other)).isEqualTo(30_000);
        assertThat(model.blockNanos("conv", config(100, 256), KernelArgs.none())).isEqualTo(90_000);
        assertThat(model.blockNanos("pool", config(10, 256), KernelArgs.builder().i32(-7).i64(8_000_000_000L).build()))
                .isEqualTo(5_000);
        assertThat(TraceCostModel.integerArguments(KernelArgs.builder().i32(-1).f32(2f).nullPointer().i64(3).build()))
                .containsExactly(-1L, 3L);

        assertThatThrownBy(() -> TraceCostModel.parse("t.csv", List.of(TraceCostModel.HEADER + ",int_args",
                "k,1,1,1,1,1,1,5,1 x"), 132, DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t.csv:2:").hasMessageContaining("'x'");
    }

    @Test
    void malformedTracesNameTheFileAndLine() {
        assertThatThrownBy(() -> TraceCostModel.parse("t.csv", List.of("kernel,grid_x,kernel_us"), 132, DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t.csv:1:").hasMessageContaining("grid_y");
        assertThatThrownBy(() -> TraceCostModel.parse("t.csv", List.of(TraceCostModel.HEADER, "k,1,1,1,1,1,1,abc"), 132, DEFAULT))
                .hasMessageContaining("t.csv:2: kernel_us is not a number");
        assertThatThrownBy(() -> TraceCostModel.parse("t.csv", List.of(TraceCostModel.HEADER, "k,0,1,1,1,1,1,5"), 132, DEFAULT))
                .hasMessageContaining("grid_x must be >= 1");
        assertThatThrownBy(() -> TraceCostModel.parse("t.csv", List.of(TraceCostModel.HEADER, "k,1,1"), 132, DEFAULT))
                .hasMessageContaining("expected at least 8 fields");
        assertThatThrownBy(() -> TraceCostModel.parse("t.csv", List.of(TraceCostModel.HEADER, "\"k,1,1,1,1,1,1,5"), 132, DEFAULT))
                .hasMessageContaining("unterminated");
        assertThatThrownBy(() -> TraceCostModel.parse("t.csv", List.of(), 132, DEFAULT)).hasMessageContaining("empty trace");
        assertThatThrownBy(() -> TraceCostModel.parse("t.csv", List.of(TraceCostModel.HEADER), 0, DEFAULT))
                .hasMessageContaining("slots");
    }

    @Test
    void columnsMayComeInAnyOrderWithExtraColumns(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("trace.csv");
        Files.writeString(csv, "stream,kernel_us,kernel,block_z,block_y,block_x,grid_z,grid_y,grid_x\n7,30,relu,1,1,64,1,1,4\n");
        TraceCostModel model = TraceCostModel.load(csv, 2, DEFAULT);
        assertThat(blockNanos(model, "relu", config(4, 64))).isEqualTo(15_000);
        assertThatThrownBy(() -> TraceCostModel.load(dir.resolve("missing.csv"), 2, DEFAULT))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("missing.csv");
    }

    @Test
    void aPlatformBuiltFromATraceReproducesTheRecordedKernelTime(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("trace.csv");
        Files.write(csv, List.of(TraceCostModel.HEADER, "work,133,1,1,64,1,1,900"));
        KernelRecorder recorder = new KernelRecorder();
        SimulatedPlatform sim = SimulatedPlatform.builder().trace(csv).listener(recorder).build();
        assertThat(sim.costModel()).isInstanceOf(TraceCostModel.class);
        Device gpu = sim.device(0);
        Stream stream = gpu.createStream();
        stream.launch(SimKit.work(gpu), config(133, 64), KernelArgs.builder().i32(0).build());
        stream.synchronize();
        assertThat(recorder.only("work").runNanos()).isEqualTo(900_000);
    }
}
