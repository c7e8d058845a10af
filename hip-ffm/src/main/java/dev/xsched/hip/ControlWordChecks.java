package dev.xsched.hip;

import java.util.Objects;

/**
 * The sizes of a managed yieldable launch's control words, checked on the host: on a GPU a word
 * outside its buffer is written anyway, corrupting whatever lies next to it.
 */
final class ControlWordChecks {
    private static final int WORD_BYTES = Integer.BYTES;

    private ControlWordChecks() {
    }

    static void check(LaunchConfig config, DeviceMemory flag, DeviceMemory state, PinnedBuffer records,
                      long recordOffset) {
        Objects.requireNonNull(flag, "flag");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(records, "records");
        if (flag.byteSize() < WORD_BYTES) {
            throw new IllegalArgumentException("the stop flag is an int: " + WORD_BYTES + " bytes needed, "
                    + flag + " has " + flag.byteSize());
        }
        long stateBytes = YieldableKernels.stateBytes(config);
        if (state.byteSize() < stateBytes) {
            throw new IllegalArgumentException("the yield state of a launch of " + YieldableKernels.blocks(config)
                    + " blocks needs " + stateBytes + " bytes (stateBytes), " + state + " has " + state.byteSize());
        }
        if (recordOffset < 0 || recordOffset % WORD_BYTES != 0 || recordOffset > records.byteSize() - WORD_BYTES) {
            throw new IllegalArgumentException("the stop record is an int at a multiple of " + WORD_BYTES
                    + " inside the pinned buffer: offset " + recordOffset + " in " + records.byteSize() + " bytes");
        }
    }
}
