package dev.xsched.hip.sim;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.HipException;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.Stream;
import dev.xsched.hip.YieldableKernels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The simulator's model of cooperative yield: a raised stop flag ends the running blocks of a
 * managed yieldable launch at their next check, blocks that start under the flag return at once,
 * and a relaunch runs only what is left. All in virtual time, with 4 slots, 100 us blocks and a
 * check every 10 us.
 */
class SimYieldTest {
    private static final long US = 1_000;
    private static final String SOURCE = YieldableKernels.PRELUDE + """
            extern "C" __global__ void spin(int n, XSCHED_YIELD_PARAMS) { }
            extern "C" __global__ void plain(int n, int* a, int* b, int* c) { }
            """;

    private final AtomicInteger bodyRuns = new AtomicInteger();
    private final KernelRecorder recorder = new KernelRecorder();
    private final SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(4)
            .costModel(KernelCostModel.fixed(Duration.ofNanos(100 * US)))
            .yieldCheckInterval(Duration.ofNanos(10 * US))
            .kernelBody("spin", (config, args, memory) -> bodyRuns.incrementAndGet())
            .listener(recorder).build();
    private final Device gpu = sim.device(0);
    private final HipModule module = gpu.loadModule(gpu.compiler().compile("spin.hip", SOURCE));
    private final Kernel spin = module.function("spin", ParamType.INT, ParamType.POINTER, ParamType.POINTER, ParamType.POINTER);
    private final Stream work = gpu.createStream(0);
    private final Stream control = gpu.createStream(-5);
    private final DeviceBuffer flag = gpu.allocate(4);
    private final DeviceBuffer state = gpu.allocate(8 * 4 + YieldableKernels.LATCH_BYTES); // 8 blocks, then the latch
    private final PinnedBuffer record = gpu.allocatePinned(4);
    private final MemorySegment one = Arena.ofAuto().allocateFrom(ValueLayout.JAVA_INT, 1);
    private final MemorySegment zero = Arena.ofAuto().allocateFrom(ValueLayout.JAVA_INT, 0);
    private final LaunchConfig eightBlocks = LaunchConfig.of(8, 256);

    @AfterEach
    void close() {
        sim.close();
    }

    /** A control word outside its buffer is refused on the host: a GPU would write past the buffer. */
    @Test
    void managedRefusesControlWordsThatDoNotFitTheirBuffers() {
        KernelArgs own = KernelArgs.builder().i32(1).build();
        try (DeviceBuffer shortFlag = gpu.allocate(2); PinnedBuffer records = gpu.allocatePinned(12)) {
            assertThatThrownBy(() -> YieldableKernels.managed(own, eightBlocks, shortFlag, state, record, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stop flag");
            DeviceMemory shortState = state.slice(0, YieldableKernels.stateBytes(eightBlocks) - 1);
            assertThatThrownBy(() -> YieldableKernels.managed(own, eightBlocks, flag, shortState, record, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 36 bytes");
            for (long offset : new long[] {-4, 2, 9, 11, 12}) {
                assertThatThrownBy(() -> YieldableKernels.managed(own, eightBlocks, flag, state, records, offset))
                        .as("offset %d", offset)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stop record");
            }
            KernelArgs last = YieldableKernels.managed(own, eightBlocks, flag, state, records, 8);
            assertThat(last.bits(3)).isEqualTo(records.deviceAddress() + 8);
        }
    }

    private KernelArgs managed() {
        return YieldableKernels.managed(KernelArgs.builder().i32(1).build(), eightBlocks, flag, state, record, 0);
    }

    private int[] states() {
        MemorySegment bytes = sim.memory().segment(state);
        return IntStream.range(0, 8).map(i -> bytes.getAtIndex(ValueLayout.JAVA_INT, i)).toArray();
    }

    private int recordValue() {
        return record.segment().get(ValueLayout.JAVA_INT, 0);
    }

    @Test
    void aRaisedFlagStopsRunningBlocksAtTheirNextCheckAndBlocksNotStartedReturnAtOnce() {
        work.launch(spin, eightBlocks, managed());
        sim.virtualClock().advanceTo(35 * US);
        control.copy(flag, one); // lands at once (4 bytes at 25 GB/s round up to 1 ns)

        sim.virtualClock().runUntilIdle();

        KernelRecord launch = recorder.only("spin");
        assertThat(launch.endNanos()).as("the running blocks stop at the check at 40 us").isEqualTo(40 * US);
        assertThat(states()).as("4 checks of progress saved by the blocks that ran; the rest never started")
                .containsExactly(4, 4, 4, 4, 0, 0, 0, 0);
        assertThat(recordValue()).isEqualTo(1);
        assertThat(bodyRuns).as("a launch that stopped early has not done the kernel's work").hasValue(0);
    }

    @Test
    void aRelaunchRunsWhatIsLeftAndALaunchOfFinishedBlocksEndsAtOnce() {
        work.launch(spin, eightBlocks, managed());
        sim.virtualClock().advanceTo(35 * US);
        control.copy(flag, one);
        sim.virtualClock().runUntilIdle();
        control.copy(flag, zero);
        record.segment().set(ValueLayout.JAVA_INT, 0, 0);
        YieldableKernels.relaunchReset(work, state, eightBlocks);
        sim.virtualClock().runUntilIdle();
        long relaunchAt = sim.virtualClock().nanoTime();

        work.launch(spin, eightBlocks, managed());
        sim.virtualClock().runUntilIdle();

        KernelRecord relaunch = recorder.kernels("spin").get(1);
        assertThat(relaunch.endNanos() - relaunchAt)
                .as("blocks 0-3 have 60 us left, then blocks 4-7 run their 100 us").isEqualTo(160 * US);
        assertThat(states()).containsOnly(YieldableKernels.BLOCK_DONE);
        assertThat(recordValue()).isZero();
        assertThat(bodyRuns).as("the launch that finished the last block ran the body").hasValue(1);

        long again = sim.virtualClock().nanoTime();
        work.launch(spin, eightBlocks, managed());
        sim.virtualClock().runUntilIdle();
        assertThat(recorder.kernels("spin").get(2).endNanos()).isEqualTo(again);
        assertThat(bodyRuns).hasValue(2);
    }

    /** As on a GPU: the first stop sets the launch's latch, and a relaunch that did not zero it records no stop. */
    @Test
    void aRelaunchWhoseStopLatchStayedUpRecordsNoStop() {
        work.launch(spin, eightBlocks, managed());
        sim.virtualClock().advanceTo(35 * US);
        control.copy(flag, one);
        sim.virtualClock().runUntilIdle();
        MemorySegment latch = sim.memory().segment(state).asSlice(YieldableKernels.latchOffset(eightBlocks));
        assertThat(latch.get(ValueLayout.JAVA_INT, 0)).as("the latch of a launch that stopped").isEqualTo(1);
        assertThat(recordValue()).isEqualTo(1);

        record.segment().set(ValueLayout.JAVA_INT, 0, 0);
        work.launch(spin, eightBlocks, managed()); // the flag still up, the latch not reset
        sim.virtualClock().runUntilIdle();
        assertThat(recordValue()).as("every block stopped again, unrecorded").isZero();
        assertThat(states()).doesNotContain(YieldableKernels.BLOCK_DONE);

        YieldableKernels.relaunchReset(work, state, eightBlocks);
        work.launch(spin, eightBlocks, managed());
        sim.virtualClock().runUntilIdle();
        assertThat(recordValue()).as("with the latch down the stop is recorded").isEqualTo(1);
    }

    /**
     * The state buffer freed while the engine dispatches the launch's blocks (here by a listener of
     * the first group's dispatch, between two reads of the states): the device's sticky failure, as
     * for an unreachable flag, not an exception out of the launch call with the engine half-updated.
     */
    @Test
    void aStateBufferFreedDuringTheDispatchIsAStickyFailure() {
        AtomicReference<DeviceBuffer> toFree = new AtomicReference<>();
        SimListener freeOnFirstDispatch = new SimListener() {
            @Override
            public void blocksDispatched(BlockDispatch dispatch) {
                DeviceBuffer buffer = toFree.getAndSet(null);
                if (buffer != null) {
                    buffer.close();
                }
            }
        };
        try (SimulatedPlatform eightSlots = SimulatedPlatform.builder().computeUnits(8)
                .costModel(KernelCostModel.fixed(Duration.ofNanos(100 * US))).yieldCheckInterval(Duration.ofNanos(10 * US))
                .listener(freeOnFirstDispatch).build()) {
            Device device = eightSlots.device(0);
            Kernel kernel = device.loadModule(device.compiler().compile("spin.hip", SOURCE))
                    .function("spin", ParamType.INT, ParamType.POINTER, ParamType.POINTER, ParamType.POINTER);
            Stream stream = device.createStream();
            DeviceBuffer stopFlag = device.allocate(4);
            DeviceBuffer blockStates = device.allocate(YieldableKernels.stateBytes(eightBlocks));
            PinnedBuffer stopRecord = device.allocatePinned(4);
            stream.memset(blockStates, 0);
            stream.synchronize();
            MemorySegment states = eightSlots.memory().segment(blockStates);
            for (int block = 4; block < 8; block++) {
                states.setAtIndex(ValueLayout.JAVA_INT, block, 1); // two groups: progress 0, then 1
            }
            toFree.set(blockStates);

            stream.launch(kernel, eightBlocks, YieldableKernels.managed(KernelArgs.builder().i32(1).build(), eightBlocks,
                    stopFlag, blockStates, stopRecord, 0));

            assertThat(blockStates.isOpen()).as("the listener freed it during the dispatch").isFalse();
            assertThatThrownBy(stream::synchronize).isInstanceOf(HipException.class)
                    .hasMessageContaining("yield control words of spin");
        }
    }

    /** With {@code stoppedBlocksRestart}, a stopped block keeps nothing and its relaunch runs it whole. */
    @Test
    void blocksThatRestartSaveNoProgressAndRunWholeWhenRelaunched() {
        KernelRecorder restarts = new KernelRecorder();
        try (SimulatedPlatform restarting = SimulatedPlatform.builder().computeUnits(4)
                .costModel(KernelCostModel.fixed(Duration.ofNanos(100 * US))).yieldCheckInterval(Duration.ofNanos(10 * US))
                .stoppedBlocksRestart(true).listener(restarts).build()) {
            Device device = restarting.device(0);
            Kernel kernel = device.loadModule(device.compiler().compile("spin.hip", SOURCE))
                    .function("spin", ParamType.INT, ParamType.POINTER, ParamType.POINTER, ParamType.POINTER);
            Stream stream = device.createStream(0);
            Stream flagStream = device.createStream(-5);
            DeviceBuffer stopFlag = device.allocate(4);
            DeviceBuffer blockStates = device.allocate(YieldableKernels.stateBytes(eightBlocks));
            PinnedBuffer stopRecord = device.allocatePinned(4);
            KernelArgs args = YieldableKernels.managed(KernelArgs.builder().i32(1).build(), eightBlocks, stopFlag, blockStates, stopRecord, 0);

            stream.launch(kernel, eightBlocks, args);
            restarting.virtualClock().advanceTo(35 * US);
            flagStream.copy(stopFlag, one);
            restarting.virtualClock().runUntilIdle();
            MemorySegment saved = restarting.memory().segment(blockStates);
            assertThat(IntStream.range(0, 8).map(i -> saved.getAtIndex(ValueLayout.JAVA_INT, i)))
                    .as("the blocks that ran 40 us kept nothing").containsOnly(0);
            assertThat(restarts.only("spin").endNanos()).as("they still stop at the check at 40 us").isEqualTo(40 * US);

            flagStream.copy(stopFlag, zero);
            YieldableKernels.relaunchReset(stream, blockStates, eightBlocks);
            restarting.virtualClock().runUntilIdle();
            long relaunchAt = restarting.virtualClock().nanoTime();
            stream.launch(kernel, eightBlocks, args);
            restarting.virtualClock().runUntilIdle();
            assertThat(restarts.kernels("spin").get(1).endNanos() - relaunchAt)
                    .as("two waves of four whole 100 us blocks").isEqualTo(200 * US);
        }
    }

    @Test
    void aFlagRaisedAndLoweredBeforeTheNextCheckStopsNothing() {
        work.launch(spin, eightBlocks, managed());
        sim.virtualClock().advanceTo(31 * US);
        control.copy(flag, one);
        control.copy(flag, zero);

        sim.virtualClock().runUntilIdle();

        assertThat(recorder.only("spin").endNanos()).isEqualTo(200 * US);
        assertThat(states()).containsOnly(YieldableKernels.BLOCK_DONE);
        assertThat(recordValue()).isZero();
        assertThat(bodyRuns).hasValue(1);
    }

    @Test
    void anUnmanagedLaunchAndAKernelOutsideTheConventionRunToTheEndWhateverTheFlag() {
        control.copy(flag, one);
        sim.virtualClock().runUntilIdle();
        Kernel plain = module.function("plain", ParamType.INT, ParamType.POINTER, ParamType.POINTER, ParamType.POINTER);

        work.launch(spin, eightBlocks, YieldableKernels.unmanaged(KernelArgs.builder().i32(1).build()));
        work.launch(plain, eightBlocks, KernelArgs.builder().i32(1).pointer(flag).pointer(state).pointer(record, 0).build());
        long start = sim.virtualClock().nanoTime();
        sim.virtualClock().runUntilIdle();

        assertThat(recorder.only("spin").runNanos()).isEqualTo(200 * US);
        assertThat(recorder.only("plain").endNanos() - start).isEqualTo(400 * US);
        assertThat(recordValue()).isZero();
    }

    @Test
    void aStopFlagFreedUnderTheRunningLaunchFailsTheDeviceAndEndsTheLaunch() {
        work.launch(spin, eightBlocks, managed());
        sim.virtualClock().advanceTo(35 * US);
        flag.close();
        DeviceBuffer other = gpu.allocate(4);
        control.copy(other, one); // a completed copy makes the engine read the (freed) flag

        sim.virtualClock().runUntilIdle();

        assertThat(recorder.only("spin").endNanos()).as("ended when the flag could not be read").isLessThan(100 * US);
        assertThat(bodyRuns).hasValue(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(work::synchronize).isInstanceOf(dev.xsched.hip.HipException.class)
                .hasMessageContaining("the yield control words of spin");
    }

    @Test
    void theCompilerMarksOnlyKernelsDeclaredWithTheYieldParameters() {
        String text = new String(gpu.compiler().compile("spin.hip", SOURCE).bytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(text.lines()).contains("kernel spin", "kernel plain", "yieldable spin").doesNotContain("yieldable plain");
    }

    @Test
    void pinnedMemoryIsMappedIntoTheSimulatedAddressSpace() {
        record.segment().set(ValueLayout.JAVA_INT, 0, 42);

        assertThat(sim.memory().segment(record.deviceAddress(), 4).get(ValueLayout.JAVA_INT, 0)).isEqualTo(42);
        long address = record.deviceAddress();
        record.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sim.memory().segment(address, 4))
                .isInstanceOf(dev.xsched.hip.HipException.class).hasMessageContaining("not inside one live");
    }
}
