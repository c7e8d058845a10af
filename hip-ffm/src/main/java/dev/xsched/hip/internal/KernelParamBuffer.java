package dev.xsched.hip.internal;

import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.ParamType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Lays out {@link KernelArgs} as the {@code void** kernelParams} array that
 * {@code hipModuleLaunchKernel} and {@code cuLaunchKernel} take. One buffer per thread, reused:
 * the driver copies the argument values during the launch call, so the buffer is free again when
 * the call returns, and the launch path allocates nothing.
 */
public final class KernelParamBuffer {
    private static final ThreadLocal<KernelParamBuffer> PER_THREAD = ThreadLocal.withInitial(KernelParamBuffer::new);
    private static final long SLOT = 8;

    private final Arena arena = Arena.ofAuto();
    private MemorySegment pointers;
    private MemorySegment values;
    private int capacity;

    private KernelParamBuffer() {
        grow(16);
    }

    private void grow(int slots) {
        capacity = slots;
        pointers = arena.allocate(ValueLayout.ADDRESS.byteSize() * slots, 8);
        values = arena.allocate(SLOT * slots, 8);
        for (int i = 0; i < slots; i++) {
            pointers.setAtIndex(ValueLayout.ADDRESS, i, values.asSlice(i * SLOT, SLOT));
        }
    }

    /** The calling thread's buffer, filled with {@code args}; valid until its next use. */
    public static MemorySegment fill(KernelArgs args) {
        KernelParamBuffer buffer = PER_THREAD.get();
        int n = args.count();
        if (n == 0) {
            return MemorySegment.NULL;
        }
        if (n > buffer.capacity) {
            buffer.grow(Math.max(n, buffer.capacity * 2));
        }
        MemorySegment values = buffer.values;
        for (int i = 0; i < n; i++) {
            long offset = i * SLOT;
            ParamType type = args.type(i);
            if (type.byteSize() == 4) {
                values.set(ValueLayout.JAVA_INT, offset, (int) args.bits(i));
            } else {
                values.set(ValueLayout.JAVA_LONG, offset, args.bits(i));
            }
        }
        return buffer.pointers;
    }
}
