package dev.xsched.hip.internal.sim;

import java.util.ArrayDeque;

/**
 * One stream inside the engine: its commands in submission order. The head is the command
 * executing (or waiting to); it leaves the queue when it completes. Guarded by the engine's lock.
 */
final class StreamState {
    final long id;
    final int priority;
    final DeviceState device;
    final ArrayDeque<Command> commands = new ArrayDeque<>();
    boolean closed;

    StreamState(long id, int priority, DeviceState device) {
        this.id = id;
        this.priority = priority;
        this.device = device;
    }

    boolean isIdle() {
        return commands.isEmpty();
    }

    @Override
    public String toString() {
        return "stream " + id + " (device " + device.index + ", priority " + priority + ")";
    }
}
