package dev.xsched.hip.internal.sim;

import dev.xsched.hip.sim.SimMemory;

import java.lang.foreign.ValueLayout;

/**
 * Holds its stream until the 32-bit word at {@code address} compares with {@code value} as
 * {@code cuStreamWaitValue32} would ({@link Comparison}). A word of device memory changes only
 * through simulated commands, so it is looked at whenever the engine schedules, that is after every
 * copy, kernel or record that could have written it. A word of registered host memory
 * ({@link #hostMemory}) changes by plain stores of other threads or processes, which the engine
 * never sees: the engine also polls it while the wait holds its stream ({@code SimEngine}).
 */
final class MemoryWait extends Command {
    /** How the word is compared with the value: the flags of {@code cuStreamWaitValue32}. */
    enum Comparison {
        /** {@code CU_STREAM_WAIT_VALUE_EQ}: the word equals the value. */
        EQUAL("equal") {
            @Override
            boolean holds(int word, int value) {
                return word == value;
            }
        },
        /**
         * {@code CU_STREAM_WAIT_VALUE_GEQ}: the word has reached the value in wrap-around order, so
         * a counter that overflows past {@link Integer#MAX_VALUE} still releases what waits on it.
         */
        AT_LEAST("reach") {
            @Override
            boolean holds(int word, int value) {
                return word - value >= 0;
            }
        };

        /** The verb in messages: "waits for the word to equal 7", "... to reach 7". */
        final String verb;

        Comparison(String verb) {
            this.verb = verb;
        }

        abstract boolean holds(int word, int value);
    }

    final long address;
    final int value;
    final Comparison comparison;
    /** Whether the word is registered host memory, which plain stores change unseen by the engine. */
    final boolean hostMemory;

    MemoryWait(long seq, StreamState stream, long address, int value, Comparison comparison, boolean hostMemory) {
        super(seq, stream);
        this.address = address;
        this.value = value;
        this.comparison = comparison;
        this.hostMemory = hostMemory;
    }

    /**
     * Reads the word; a volatile read, since a host word is stored by threads (or processes) that
     * share no lock with the engine.
     *
     * @throws IllegalStateException if the word's memory was freed or unregistered meanwhile
     */
    boolean isSatisfied(SimMemory memory) {
        int word = (int) ValueLayout.JAVA_INT.varHandle().getVolatile(memory.segment(address, Integer.BYTES), 0L);
        return comparison.holds(word, value);
    }
}
