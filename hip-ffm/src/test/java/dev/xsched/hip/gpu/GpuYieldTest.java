package dev.xsched.hip.gpu;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceAttribute;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.Stream;
import dev.xsched.hip.YieldableKernels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Host-mapped pinned memory and the yieldable-kernel convention on a real GPU, driven by hand
 * (what an XQueue does on a suspend): a flag raised while the kernel runs stops its blocks early,
 * and a relaunch finishes every block exactly once.
 */
@Tag("gpu")
class GpuYieldTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final int THREADS = 128;
    private static HipModule module;
    private static Kernel yieldCount;
    private static Kernel writeInt;
    private Device gpu;

    @BeforeEach
    void gpu() {
        gpu = GpuSupport.device();
        if (module == null) {
            String source = GpuKernels.YIELD_COUNT + GpuKernels.WRITE_INT;
            module = gpu.loadModule(gpu.compiler().compile("yield.cu", source));
            yieldCount = module.function("yield_count", ParamType.POINTER, ParamType.INT, ParamType.LONG,
                    ParamType.POINTER, ParamType.POINTER, ParamType.POINTER);
            writeInt = module.function("write_int", ParamType.POINTER, ParamType.INT);
        }
    }

    @AfterAll
    static void unload() {
        if (module != null) {
            module.close();
        }
    }

    private long cyclesPerMilli() {
        return gpu.attribute(DeviceAttribute.CLOCK_RATE_KHZ);
    }

    @Test
    void aKernelWritesPinnedMemoryThroughItsDeviceAddressWithoutACopy() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (PinnedBuffer pinned = gpu.allocatePinned(64); Stream stream = gpu.createStream()) {
                pinned.segment().set(JAVA_INT, 8, 0);
                stream.launch(writeInt, LaunchConfig.of(1, 32), KernelArgs.builder().pointer(pinned, 8).i32(0x5eed).build());
                stream.synchronize();
                assertThat(pinned.segment().get(JAVA_INT, 8)).isEqualTo(0x5eed);
            }
        });
    }

    @Test
    void onAPlainStreamAYieldableKernelRunsToTheEnd() {
        assertTimeoutPreemptively(LIMIT, () -> {
            int blocks = 2 * gpu.computeUnits();
            int chunks = 5;
            try (DeviceBuffer counters = gpu.allocate(4L * blocks * THREADS); Stream stream = gpu.createStream()) {
                stream.memset(counters, 0);
                stream.launchYieldable(yieldCount, LaunchConfig.of(blocks, THREADS),
                        KernelArgs.builder().pointer(counters).i32(chunks).i64(cyclesPerMilli() / 100).build());
                assertThat(read(stream, counters, blocks * THREADS)).containsOnly(chunks);
            }
        });
    }

    @Test
    void aRaisedFlagStopsTheBlocksEarlyAndRelaunchesFinishEveryStepExactlyOnce() {
        assertTimeoutPreemptively(LIMIT, () -> {
            // Four waves' worth of blocks, each 40 steps of 1 ms: about 160 ms if it ran to the end.
            int blocks = 4 * gpu.computeUnits() * (2048 / THREADS);
            int chunks = 40;
            LaunchConfig config = LaunchConfig.of(blocks, THREADS);
            KernelArgs own;
            try (DeviceBuffer counters = gpu.allocate(4L * blocks * THREADS);
                 DeviceBuffer state = gpu.allocate(YieldableKernels.stateBytes(config));
                 DeviceBuffer flag = gpu.allocate(4);
                 PinnedBuffer control = gpu.allocatePinned(12); // record, then the constants 1 and 0
                 Stream stream = gpu.createStream();
                 Stream flagStream = gpu.createStream()) {
                own = KernelArgs.builder().pointer(counters).i32(chunks).i64(cyclesPerMilli()).build();
                KernelArgs managed = YieldableKernels.managed(own, config, flag, state, control, 0);
                MemorySegment words = control.segment();
                words.set(JAVA_INT, 0, 0);
                words.set(JAVA_INT, 4, 1);
                words.set(JAVA_INT, 8, 0);
                stream.memset(counters, 0);
                stream.memset(state, 0);
                stream.memset(flag, 0);
                stream.synchronize(); // the zeros in place before the other stream reads the counters

                int launches = 0;
                int[] afterFirst = null;
                // Stop it three times, once each launch is under way, then let it finish. Nothing below
                // measures time: the first launch is stopped after its first block has finished a step
                // (a flag raised before any block ran would stop them all at entry, and no thread would
                // be left part-way, which the end checks); a relaunch gets a few milliseconds to resume
                // its blocks, and is stopped wherever it has got to (at entry is correct too).
                for (; launches < 4; launches++) {
                    INT.setVolatile(words, 0L, 0); // the record
                    if (launches > 0) {
                        YieldableKernels.relaunchReset(stream, state, config); // the stop latch down again
                    }
                    stream.launch(yieldCount, config, managed);
                    if (launches == 0) {
                        awaitFirstStep(flagStream, counters);
                    } else if (launches < 3) {
                        Thread.sleep(5);
                    }
                    if (launches < 3) {
                        // The flag is device memory: a copy engine writes it while the kernel fills every SM.
                        flagStream.copy(flag, words.asSlice(4, 4));
                    }
                    stream.synchronize();
                    if (launches == 0) {
                        afterFirst = read(stream, counters, blocks * THREADS);
                    }
                    boolean stopped = (int) INT.getVolatile(words, 0L) != 0;
                    assertThat(stopped).as("launch %d reported stopping early", launches).isEqualTo(launches < 3);
                    flagStream.copy(flag, words.asSlice(8, 4));
                    flagStream.synchronize();
                }
                int[] values = read(stream, counters, blocks * THREADS);
                assertThat(values).as("every step of every thread ran exactly once over %d launches", launches)
                        .containsOnly(chunks);
                assertThat(read(stream, state, blocks)).as("every block marked finished")
                        .containsOnly(YieldableKernels.BLOCK_DONE);
                // Evidence of stopping in the middle, not just at entry: after the first launch some
                // threads ran some steps but not all of them (no clock involved).
                assertThat(Arrays.stream(afterFirst).filter(v -> v > 0 && v < chunks).count())
                        .as("threads the first, stopped launch left part-way").isPositive();
            }
        });
    }

    /**
     * Returns once a thread of the kernel's first block has counted a step, read through a second
     * stream while the kernel runs (a copy engine reads the counters beside it). The test's time
     * limit interrupts it ({@code assertTimeoutPreemptively}), and an interrupt ends the polling.
     */
    private static void awaitFirstStep(Stream observer, DeviceBuffer counters) throws InterruptedException {
        while (Arrays.stream(read(observer, counters, THREADS)).noneMatch(steps -> steps > 0)) {
            if (Thread.interrupted()) {
                throw new InterruptedException("no step of the kernel's first block seen before the time limit");
            }
            Thread.onSpinWait();
        }
    }

    private static int[] read(Stream stream, dev.xsched.hip.DeviceMemory memory, int ints) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment host = arena.allocate(4L * ints, 4);
            stream.copy(host, memory.slice(0, 4L * ints));
            stream.synchronize();
            int[] values = host.toArray(JAVA_INT);
            return Arrays.copyOf(values, ints);
        }
    }
}
