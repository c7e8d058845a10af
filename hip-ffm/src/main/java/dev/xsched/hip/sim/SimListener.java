package dev.xsched.hip.sim;

/**
 * Observes the simulation, for scheduler tests and traces. Register with
 * {@link SimulatedPlatform.Builder#listener} or {@link SimulatedPlatform#addListener}.
 *
 * <p>Called in simulation order, with the simulator's lock held, on the thread that moves the
 * simulation: a caller's thread (a call into the platform first processes everything due), or in
 * real time also the engine thread. Keep it short and do not call the
 * platform from it: not even to free memory or close a buffer or module, since such a call runs
 * the device's {@link dev.xsched.hip.DeviceWideCallListener}s, which may take locks (an armed
 * queue's flag lock) whose holder waits for the simulator's lock. An exception it throws becomes
 * an asynchronous failure reported by the next call on the device.
 */
public interface SimListener {
    /**
     * A launch completed: all its blocks ran (and its kernel body, if any, has run). A launch of a
     * yieldable kernel whose blocks stopped early completes too, as it does on a GPU, without
     * running the body; its relaunch is a launch of its own.
     *
     * @param record what ran, where and when
     */
    default void kernelCompleted(KernelRecord record) {
    }

    /**
     * Blocks of a launch were dispatched to free slots.
     *
     * @param dispatch the group of blocks and the time they occupy their slots
     */
    default void blocksDispatched(BlockDispatch dispatch) {
    }
}
