package dev.xsched.hip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of one kernel launch, copied when {@link Builder#build()} runs: later changes to
 * the caller's variables cannot reach a launch that happens later (a scheduler may hold a launch
 * in a host-side buffer for a while). Immutable and safe to share between threads.
 *
 * <pre>{@code
 * KernelArgs args = KernelArgs.builder().pointer(a).pointer(b).pointer(out).i32(n).build();
 * }</pre>
 */
public final class KernelArgs {
    private static final KernelArgs EMPTY = new KernelArgs(new ParamType[0], new long[0], new Object[0]);

    private final ParamType[] types;
    private final long[] bits;
    /** Per argument: the {@link DeviceMemory} or {@link PinnedBuffer} a pointer refers to, else null. */
    private final Object[] pointers;

    private KernelArgs(ParamType[] types, long[] bits, Object[] pointers) {
        this.types = types;
        this.bits = bits;
        this.pointers = pointers;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** No arguments. */
    public static KernelArgs none() {
        return EMPTY;
    }

    public int count() {
        return types.length;
    }

    public ParamType type(int index) {
        return types[index];
    }

    public List<ParamType> types() {
        return List.of(types);
    }

    /**
     * The raw bits of argument {@code index}: the device address of a pointer, the value of an
     * integer, {@link Float#floatToRawIntBits} or {@link Double#doubleToRawLongBits} of a float.
     */
    public long bits(int index) {
        return bits[index];
    }

    /**
     * A copy of these arguments with one more {@code int} argument at the end (for example the
     * block offset of a {@linkplain SlicedKernels sliced launch}). These arguments are unchanged.
     */
    public KernelArgs withI32(int value) {
        return with(builder().i32(value).build());
    }

    /**
     * A copy of these arguments followed by {@code more} (for example the control pointers of a
     * {@linkplain YieldableKernels yieldable launch}). Both are unchanged.
     */
    public KernelArgs with(KernelArgs more) {
        int n = types.length;
        int m = more.types.length;
        ParamType[] t = Arrays.copyOf(types, n + m);
        System.arraycopy(more.types, 0, t, n, m);
        long[] b = Arrays.copyOf(bits, n + m);
        System.arraycopy(more.bits, 0, b, n, m);
        Object[] p = Arrays.copyOf(pointers, n + m);
        System.arraycopy(more.pointers, 0, p, n, m);
        return new KernelArgs(t, b, p);
    }

    /**
     * Throws {@link IllegalStateException} if a buffer passed as an argument has been closed
     * since: launching with a freed pointer would corrupt memory, not fail.
     */
    public void checkPointersOpen() {
        for (Object pointer : pointers) {
            boolean open = switch (pointer) {
                case null -> true;
                case DeviceMemory memory -> memory.isOpen();
                case PinnedBuffer pinned -> pinned.isOpen();
                default -> throw new AssertionError(pointer);
            };
            if (!open) {
                throw new IllegalStateException("kernel argument refers to a closed "
                        + (pointer instanceof PinnedBuffer ? "pinned" : "device") + " buffer: " + pointer);
            }
        }
    }

    @Override
    public String toString() {
        return "KernelArgs" + Arrays.toString(types);
    }

    /** Collects arguments in parameter order. Not thread-safe; build once, share the result. */
    public static final class Builder {
        private final List<ParamType> types = new ArrayList<>();
        private long[] bits = new long[8];
        private final List<Object> pointers = new ArrayList<>();

        private Builder add(ParamType type, long value, Object pointer) {
            if (types.size() == bits.length) {
                bits = Arrays.copyOf(bits, bits.length * 2);
            }
            bits[types.size()] = value;
            types.add(type);
            pointers.add(pointer);
            return this;
        }

        /** A device pointer: the address of {@code memory} (a buffer or a slice of one). */
        public Builder pointer(DeviceMemory memory) {
            Objects.requireNonNull(memory, "memory");
            if (!memory.isOpen()) {
                throw new IllegalStateException("device buffer is closed: " + memory);
            }
            return add(ParamType.POINTER, memory.address(), memory);
        }

        /**
         * A pointer into host-mapped pinned memory: {@code buffer}'s
         * {@linkplain PinnedBuffer#deviceAddress() device address} plus {@code offset}, which must
         * lie inside the buffer.
         */
        public Builder pointer(PinnedBuffer buffer, long offset) {
            Objects.requireNonNull(buffer, "buffer");
            if (!buffer.isOpen()) {
                throw new IllegalStateException("pinned buffer is closed: " + buffer);
            }
            Objects.checkIndex(offset, buffer.byteSize());
            return add(ParamType.POINTER, buffer.deviceAddress() + offset, buffer);
        }

        /** A null pointer (for kernels that treat null as "absent", such as an unmanaged yieldable launch). */
        public Builder nullPointer() {
            return add(ParamType.POINTER, 0L, null);
        }

        public Builder i32(int value) {
            return add(ParamType.INT, value & 0xFFFF_FFFFL, null);
        }

        public Builder i64(long value) {
            return add(ParamType.LONG, value, null);
        }

        public Builder f32(float value) {
            return add(ParamType.FLOAT, Float.floatToRawIntBits(value) & 0xFFFF_FFFFL, null);
        }

        public Builder f64(double value) {
            return add(ParamType.DOUBLE, Double.doubleToRawLongBits(value), null);
        }

        public KernelArgs build() {
            int n = types.size();
            return new KernelArgs(types.toArray(new ParamType[0]), Arrays.copyOf(bits, n), pointers.toArray());
        }
    }
}
