package dev.xsched.hip;

/**
 * The type of one kernel parameter, as declared in a {@link Kernel}'s signature. Launches check
 * their {@link KernelArgs} against it in Java, so a wrong count or type never reaches the driver
 * (which would read garbage, not fail).
 */
public enum ParamType {
    /** A device pointer ({@code T*}): pass a {@link DeviceMemory}. */
    POINTER(8),
    /**
     * {@code int} / {@code unsigned int}; also a {@code bool}, {@code char} or {@code short}
     * parameter, whose bytes the driver takes from the low end of the argument (pass the value as
     * an int).
     */
    INT(4),
    /** {@code long long} / {@code size_t}. */
    LONG(8),
    /** {@code float}, IEEE 754 binary32. */
    FLOAT(4),
    /** {@code double}, IEEE 754 binary64. */
    DOUBLE(8);

    private final int byteSize;

    ParamType(int byteSize) {
        this.byteSize = byteSize;
    }

    /**
     * The parameter's size in the kernel's argument buffer.
     *
     * @return the size, which is also the alignment, in bytes
     */
    public int byteSize() {
        return byteSize;
    }
}
