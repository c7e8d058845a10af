package dev.xsched.hip.internal.sim;

import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.YieldableKernels;
import dev.xsched.hip.sim.SimMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The control words of one managed launch of a {@linkplain YieldableKernels yieldable} kernel,
 * read and written in simulated memory as the kernel's blocks would: the stop flag (an {@code int}
 * of device memory), one state {@code int} per block and the launch's stop latch after them, and
 * the "stopped early" record (an {@code int} of mapped pinned memory).
 *
 * <p>Every access resolves the address again, so a buffer freed while the launch runs fails the
 * access (the engine turns that into the device's sticky failure) instead of touching freed memory.
 */
final class YieldControl {
    private final SimMemory memory;
    private final long flag;
    private final long state;
    private final long record;
    private final long blocks;

    private YieldControl(SimMemory memory, long flag, long state, long record, long blocks) {
        this.memory = memory;
        this.flag = flag;
        this.state = state;
        this.record = record;
        this.blocks = blocks;
    }

    /**
     * The control of a launch of a yieldable kernel with {@code args} (its own arguments followed by
     * the three control pointers), or null for an unmanaged launch (a null flag: it runs to the end).
     * The addresses are checked now, so that a bad pointer fails the launch rather than the device.
     *
     * @throws dev.xsched.hip.HipException {@code ILLEGAL_ADDRESS} if a control pointer does not point
     *                                     into live memory of the right size
     */
    static YieldControl of(SimMemory memory, KernelArgs args, long blocks) {
        int n = args.count();
        long flag = args.bits(n - YieldableKernels.CONTROL_PARAMETERS);
        if (flag == 0) {
            return null;
        }
        YieldControl control = new YieldControl(memory, flag, args.bits(n - 2), args.bits(n - 1), blocks);
        control.flagWord();
        control.states();
        control.latchWord();
        control.recordWord();
        return control;
    }

    boolean flagUp() {
        return flagWord().get(ValueLayout.JAVA_INT, 0) != 0;
    }

    /** The per-block state: 0 fresh, p &gt; 0 resume at progress p, {@link YieldableKernels#BLOCK_DONE} finished. */
    MemorySegment states() {
        return memory.segment(state, blocks * YieldableKernels.STATE_BYTES_PER_BLOCK);
    }

    static int stateOf(MemorySegment states, long block) {
        return states.getAtIndex(ValueLayout.JAVA_INT, block);
    }

    /** Sets the state of blocks {@code [first, first + count)}. */
    void setStates(long first, long count, int value) {
        MemorySegment states = states();
        for (long block = first; block < first + count; block++) {
            states.setAtIndex(ValueLayout.JAVA_INT, block, value);
        }
    }

    /**
     * A block stopped early (or before starting): the host must launch the kernel again. As the
     * prelude's {@code xsched_record_stop}, only the first stop of a launch (the latch down) writes
     * the record: a relaunch whose latch was not zeroed again records nothing.
     */
    void markStopped() {
        MemorySegment latch = latchWord();
        if (latch.get(ValueLayout.JAVA_INT, 0) == 0) {
            latch.set(ValueLayout.JAVA_INT, 0, 1);
            recordWord().set(ValueLayout.JAVA_INT, 0, 1);
        }
    }

    private MemorySegment latchWord() {
        return memory.segment(state + blocks * YieldableKernels.STATE_BYTES_PER_BLOCK, YieldableKernels.LATCH_BYTES);
    }

    private MemorySegment flagWord() {
        return memory.segment(flag, Integer.BYTES);
    }

    private MemorySegment recordWord() {
        return memory.segment(record, Integer.BYTES);
    }
}
