package dev.xsched.hip;

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

    /**
     * A builder for the arguments of one launch.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder that starts with {@code first}'s arguments and has room for {@code more}: where a
     * launch appends arguments of its own on every launch (the control pointers of a
     * {@linkplain YieldableKernels yieldable launch}), building exactly that many allocates the
     * result and nothing else.
     *
     * @param first the leading arguments, unchanged
     * @param more  how many arguments the caller will add (a hint; more may be added)
     * @return a builder holding {@code first}'s arguments
     * @throws IllegalArgumentException if {@code more} is negative
     */
    public static Builder builder(KernelArgs first, int more) {
        Objects.requireNonNull(first, "first");
        if (more < 0) {
            throw new IllegalArgumentException("more must not be negative, got " + more);
        }
        return new Builder(first, more);
    }

    /**
     * No arguments, for kernels without parameters.
     *
     * @return the shared empty instance
     */
    public static KernelArgs none() {
        return EMPTY;
    }

    /**
     * The number of arguments.
     *
     * @return the count, to be compared with the kernel's signature
     */
    public int count() {
        return types.length;
    }

    /**
     * The type of one argument.
     *
     * @param index the argument's position, {@code 0 <= index < count()}
     * @return the type it was added as
     * @throws ArrayIndexOutOfBoundsException if {@code index} is out of range
     */
    public ParamType type(int index) {
        return types[index];
    }

    /**
     * The types of all arguments, in order.
     *
     * @return an immutable list of {@link #count()} types
     */
    public List<ParamType> types() {
        return List.of(types);
    }

    /**
     * The raw bits of argument {@code index}: the device address of a pointer, the value of an
     * integer, {@link Float#floatToRawIntBits} or {@link Double#doubleToRawLongBits} of a float.
     *
     * @param index the argument's position, {@code 0 <= index < count()}
     * @return the bits, zero-extended for 4-byte types; the low {@link ParamType#byteSize()} bytes
     *         are what the kernel receives
     * @throws ArrayIndexOutOfBoundsException if {@code index} is out of range
     */
    public long bits(int index) {
        return bits[index];
    }

    /**
     * A copy of these arguments with one more {@code int} argument at the end (for example the
     * block offset of a {@linkplain SlicedKernels sliced launch}). These arguments are unchanged.
     *
     * @param value the argument to append
     * @return the longer copy
     */
    public KernelArgs withI32(int value) {
        return builder(this, 1).i32(value).build();
    }

    /**
     * A copy of these arguments followed by {@code more} (for example the control pointers of a
     * {@linkplain YieldableKernels yieldable launch}). Both are unchanged.
     *
     * @param more the arguments to append
     * @return the concatenation
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
     * since: launching with a freed pointer would corrupt memory, not fail. Every launch calls it
     * (a scheduled queue again when it issues the launch); it reads one field per pointer and
     * allocates nothing.
     *
     * @throws IllegalStateException naming the closed buffer
     */
    public void checkPointersOpen() {
        checkPointers(null);
    }

    /**
     * {@link #checkPointersOpen()}, and that every device-memory argument is memory of
     * {@code device}: the library enables no peer access, so a kernel dereferencing another
     * device's memory faults, and on CUDA that fault is sticky (the context is lost for the
     * process). Pinned host memory is mapped for every device and passes. Every launch of the
     * platforms calls it; it reads two fields per pointer and allocates nothing.
     *
     * @param device the device the launch runs on
     * @throws IllegalStateException    naming a closed buffer
     * @throws IllegalArgumentException naming device memory of another device
     */
    public void checkPointersUsableOn(Device device) {
        checkPointers(Objects.requireNonNull(device, "device"));
    }

    private void checkPointers(Device device) {
        for (int i = 0; i < pointers.length; i++) {
            Object pointer = pointers[i];
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
            if (device != null && pointer instanceof DeviceMemory memory && memory.buffer().device() != device) {
                Device owner = memory.buffer().device();
                throw new IllegalArgumentException("kernel argument " + i + " is memory of device " + owner.index()
                        + " of platform '" + owner.platform().name() + "', the launch is on device " + device.index()
                        + " of platform '" + device.platform().name() + "': " + pointer);
            }
        }
    }

    @Override
    public String toString() {
        return "KernelArgs" + Arrays.toString(types);
    }

    /**
     * Collects arguments in parameter order. Not thread-safe; build once, share the result. It
     * keeps its arguments in arrays that {@link #build()} hands to the result when they are full
     * (the usual case for a builder sized by {@link KernelArgs#builder(KernelArgs, int)}); an
     * argument added afterwards finds them full and goes to larger copies, so a built result never
     * changes.
     */
    public static final class Builder {
        private ParamType[] types;
        private long[] bits;
        private Object[] pointers;
        private int count;

        /** An empty builder; {@link KernelArgs#builder()} is the usual way to get one. */
        public Builder() {
            this(EMPTY, 8);
        }

        private Builder(KernelArgs first, int more) {
            int capacity = first.types.length + more;
            types = Arrays.copyOf(first.types, capacity);
            bits = Arrays.copyOf(first.bits, capacity);
            pointers = Arrays.copyOf(first.pointers, capacity);
            count = first.types.length;
        }

        private Builder add(ParamType type, long value, Object pointer) {
            if (count == types.length) {
                int capacity = Math.max(8, count * 2);
                types = Arrays.copyOf(types, capacity);
                bits = Arrays.copyOf(bits, capacity);
                pointers = Arrays.copyOf(pointers, capacity);
            }
            types[count] = type;
            bits[count] = value;
            pointers[count] = pointer;
            count++;
            return this;
        }

        /**
         * A device pointer ({@link ParamType#POINTER}): the address of {@code memory}. The
         * arguments remember the buffer, so that a launch after it was closed is rejected
         * ({@link KernelArgs#checkPointersOpen()}).
         *
         * @param memory a buffer or a slice of one
         * @return this builder
         * @throws IllegalStateException if the buffer is closed
         */
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
         * lie inside the buffer. The arguments remember the buffer, as for device memory.
         *
         * @param buffer a pinned buffer, all of which is device-mapped
         * @param offset the byte offset of the pointed-to data, {@code 0 <= offset < byteSize()}
         * @return this builder
         * @throws IllegalStateException     if the buffer is closed
         * @throws IndexOutOfBoundsException if {@code offset} lies outside the buffer
         */
        public Builder pointer(PinnedBuffer buffer, long offset) {
            Objects.requireNonNull(buffer, "buffer");
            if (!buffer.isOpen()) {
                throw new IllegalStateException("pinned buffer is closed: " + buffer);
            }
            Objects.checkIndex(offset, buffer.byteSize());
            return add(ParamType.POINTER, buffer.deviceAddress() + offset, buffer);
        }

        /**
         * A null pointer (for kernels that treat null as "absent", such as an unmanaged yieldable launch).
         *
         * @return this builder
         */
        public Builder nullPointer() {
            return add(ParamType.POINTER, 0L, null);
        }

        /**
         * An {@code int} or {@code unsigned int} ({@link ParamType#INT}); pass an unsigned value's bits.
         *
         * @param value the value
         * @return this builder
         */
        public Builder i32(int value) {
            return add(ParamType.INT, value & 0xFFFF_FFFFL, null);
        }

        /**
         * A {@code long long}, {@code size_t} or other 8-byte integer ({@link ParamType#LONG}).
         *
         * @param value the value
         * @return this builder
         */
        public Builder i64(long value) {
            return add(ParamType.LONG, value, null);
        }

        /**
         * A {@code float} ({@link ParamType#FLOAT}), passed bit for bit (NaN payloads included).
         *
         * @param value the value
         * @return this builder
         */
        public Builder f32(float value) {
            return add(ParamType.FLOAT, Float.floatToRawIntBits(value) & 0xFFFF_FFFFL, null);
        }

        /**
         * A {@code double} ({@link ParamType#DOUBLE}), passed bit for bit.
         *
         * @param value the value
         * @return this builder
         */
        public Builder f64(double value) {
            return add(ParamType.DOUBLE, Double.doubleToRawLongBits(value), null);
        }

        /**
         * Copies the arguments collected so far; the builder may go on collecting for another
         * launch without affecting the result.
         *
         * @return immutable arguments
         */
        public KernelArgs build() {
            if (count == 0) {
                return EMPTY;
            }
            if (count == types.length) {
                return new KernelArgs(types, bits, pointers); // full: the next add copies them
            }
            return new KernelArgs(Arrays.copyOf(types, count), Arrays.copyOf(bits, count), Arrays.copyOf(pointers, count));
        }
    }
}
