package dev.xsched.examples.resnet;

import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.Stream;
import dev.xsched.hip.YieldableKernels;

import java.lang.foreign.ValueLayout;

/**
 * Yieldable launches on a plain queue with live control words whose stop flag never rises. The
 * yieldable variants then do everything they do under an XQueue that is never suspended (each
 * block reads its state and the flag at entry, checks the flag every few K slices and marks
 * itself done) without ever stopping, and without XSched's launch path: what they cost over the
 * plain kernels is the kernels' own overhead. As an XQueue does at a launch's first issue, each
 * launch is preceded by a memset of its block state (and a persistent twin's by one of its tile
 * counter, which {@link ResNet#forwardYieldable} zeroes once per forward pass instead).
 *
 * <p>Launches on one queue only (they share one state buffer, in stream order).
 */
final class NeverRaisedYield implements AutoCloseable {
    private final DeviceBuffer flag;
    private final DeviceBuffer state;
    private final PinnedBuffer record;

    /** Control words for the launches of {@code model}, the flag written 0 (waits for it). */
    NeverRaisedYield(Device device, ResNet model) {
        long stateBytes = Integer.BYTES;
        for (KernelLaunch launch : model.launches()) {
            if (launch.yieldKernel() != null) {
                stateBytes = Math.max(stateBytes, YieldableKernels.stateBytes(launch.yieldConfig()));
            }
        }
        DeviceBuffer f = device.allocate(Integer.BYTES);
        DeviceBuffer s = null;
        PinnedBuffer r = null;
        try {
            s = device.allocate(stateBytes);
            r = device.allocatePinned(Integer.BYTES);
            r.segment().set(ValueLayout.JAVA_INT, 0, 0);
            try (Stream stream = device.createStream()) {
                stream.memset(f, 0);
                stream.synchronize();
            }
        } catch (RuntimeException e) {
            if (r != null) {
                r.close();
            }
            if (s != null) {
                s.close();
            }
            f.close();
            throw e;
        }
        this.flag = f;
        this.state = s;
        this.record = r;
    }

    /** Enqueues {@code launch} through its yieldable variant with the live control words (plainly if it has none). */
    void enqueue(KernelLaunch launch, CommandQueue queue) {
        if (launch.yieldKernel() == null) {
            launch.enqueue(queue);
            return;
        }
        DeviceMemory blocks = state.slice(0, YieldableKernels.stateBytes(launch.yieldConfig()));
        queue.memset(blocks, 0);
        if (launch.tileCounter() != null) {
            queue.memset(launch.tileCounter(), 0);
        }
        queue.launch(launch.yieldKernel(), launch.yieldConfig(),
                YieldableKernels.managed(launch.yieldArgs(), launch.yieldConfig(), flag, blocks, record, 0));
    }

    /** Enqueues one forward pass of {@code model} this way. */
    void forward(ResNet model, CommandQueue queue) {
        for (KernelLaunch launch : model.launches()) {
            enqueue(launch, queue);
        }
    }

    /** Whether a block recorded a stop (none may: the flag never rose); read after the launches completed. */
    boolean anyBlockStopped() {
        return record.segment().get(ValueLayout.JAVA_INT, 0) != 0;
    }

    @Override
    public void close() {
        record.close();
        state.close();
        flag.close();
    }
}
