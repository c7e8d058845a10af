package dev.xsched.hip.internal.sim;

import dev.xsched.hip.sim.SimMemory;

import java.lang.foreign.ValueLayout;

/**
 * Holds its stream until the 32-bit word at {@code address} equals {@code value}
 * ({@code cuStreamWaitValue32}'s EQ): looked at whenever the engine schedules, that is after every
 * copy, kernel or record that could have written it.
 */
final class MemoryWait extends Command {
    final long address;
    final int value;

    MemoryWait(long seq, StreamState stream, long address, int value) {
        super(seq, stream);
        this.address = address;
        this.value = value;
    }

    /** @throws IllegalStateException if the word's memory was freed meanwhile */
    boolean isSatisfied(SimMemory memory) {
        return memory.segment(address, Integer.BYTES).get(ValueLayout.JAVA_INT, 0) == value;
    }
}
