package dev.xsched.examples.resnet;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.Stream;
import dev.xsched.hip.YieldableKernels;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The control words of a yieldable launch of one configuration that a GPU test drives by hand, as
 * an XQueue would: the stop flag (device memory), the per-block state with its stop latch, and the
 * host-mapped "stopped early" record (slot 0). The tests raise and lower the flag themselves and
 * read back what the blocks left.
 */
final class YieldControls implements AutoCloseable {
    private final Stream stream;
    private final LaunchConfig config;
    final DeviceBuffer flag;
    final DeviceBuffer state;
    private final PinnedBuffer records;

    YieldControls(Device device, Stream stream, LaunchConfig config) {
        this.stream = stream;
        this.config = config;
        flag = device.allocate(Integer.BYTES);
        state = device.allocate(YieldableKernels.stateBytes(config));
        records = device.allocatePinned(Integer.BYTES);
    }

    /** {@code own} with these control pointers: a managed launch recording into slot 0. */
    KernelArgs managed(KernelArgs own) {
        return YieldableKernels.managed(own, config, flag, state, records, 0);
    }

    /** Every block not yet run, flag lowered, record cleared: waits for the stream's work, this reset's included. */
    void reset() {
        stream.memset(state, 0);
        stream.memset(flag, 0);
        stream.synchronize();
        clearRecord();
    }

    /** Before a relaunch as a queue does it: flag lowered, record cleared, the stopped blocks' state kept, the latch reset. */
    void prepareRelaunch() {
        stream.memset(flag, 0);
        clearRecord();
        YieldableKernels.relaunchReset(stream, state, config);
    }

    void raiseBeforeLaunch() {
        stream.memset(flag, 1);
    }

    private void clearRecord() {
        records.segment().set(JAVA_INT, 0, 0);
    }

    /** 1 once a block of the launch recorded that it stopped early. */
    int record() {
        return records.segment().get(JAVA_INT, 0);
    }

    int[] states() {
        return Gpu.blockStates(stream, state, config);
    }

    int latch() {
        return Gpu.stopLatch(stream, state, config);
    }

    @Override
    public void close() {
        Gpu.closeAll(records, state, flag);
    }
}
