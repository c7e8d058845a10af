package dev.xsched.hip.internal.sim;

import dev.xsched.hip.internal.AbstractPinnedBuffer;

/** "Pinned" host memory: native memory of a shared arena, which closing the buffer closes. */
final class SimPinnedBuffer extends AbstractPinnedBuffer {
    private static final long PAGE = 4096;

    SimPinnedBuffer(long byteSize) {
        super(byteSize, PAGE);
    }

    @Override
    protected void free() {
        // Nothing beyond the arena, which the base class closed.
    }
}
