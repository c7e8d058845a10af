package dev.xsched.hip.internal.sim;

import dev.xsched.hip.HipException;

import java.util.ArrayList;
import java.util.List;

/** One device inside the engine: its block slots and its open streams. Guarded by the engine's lock. */
final class DeviceState {
    final int index;
    final int slots;
    int busySlots;
    final List<StreamState> streams = new ArrayList<>();
    /**
     * The first asynchronous failure (a kernel body or copy that threw); sticky, as on a GPU.
     * Written under the lock; volatile for the lock-free event query ({@code SimEngine.isComplete}).
     */
    volatile HipException failure;

    DeviceState(int index, int slots) {
        this.index = index;
        this.slots = slots;
    }

    boolean isIdle() {
        return streams.stream().allMatch(StreamState::isIdle);
    }

    /**
     * Whether a stream is held by a wait on registered host memory: one at a stream's head is
     * unsatisfied when the engine last looked, since every look removes a satisfied one.
     */
    boolean heldByHostWait() {
        for (StreamState stream : streams) {
            if (stream.commands.peekFirst() instanceof MemoryWait wait && wait.hostMemory) {
                return true;
            }
        }
        return false;
    }
}
